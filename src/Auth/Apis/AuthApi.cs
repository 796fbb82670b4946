using System.Security.Claims;
using AttendanceSystem.Auth.Contracts;
using AttendanceSystem.Auth.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Auth.Apis;

/// <summary>Registration, sign-in, refreshing and ending a session, and the caller's own password.</summary>
public static class AuthApi
{
    private const string InvalidCredentials = "invalid credentials";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/register", RegisterAsync).AllowAnonymous()
            .WithSummary("Create an employee account and sign in.");
        app.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithSummary("Exchange a username and password for an access token and a refresh token.");
        app.MapPost("/token/refresh", RefreshAsync).AllowAnonymous()
            .WithSummary("Exchange a refresh token (body or cookie) for a new pair; a reused one ends its session.");
        app.MapPost("/logout", LogoutAsync).AllowAnonymous()
            .WithSummary("End the session of a refresh token (body or cookie) or of the bearer token.");
        app.MapPost("/me/password", ChangePasswordAsync).RequireAuthorization()
            .WithSummary("Change the caller's own password (ends every session, this one included).");
        return app;
    }

    public static async Task<Results<Created<RegisterResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, HttpContext http, AttendanceDbContext db, PasswordHasher hasher, SessionTokens sessions,
        IOptions<AuthOptions> options, CancellationToken cancellationToken)
    {
        if (!options.Value.RegistrationOpen)
        {
            return Problems.Forbidden("Registration is closed here: an admin creates accounts.");
        }

        var hash = hasher.Hash(request.Password);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Accounts.TryCreateAsync(db.Database, request.Username, hash, Roles.Employee, cancellationToken) is not { } id)
        {
            return Problems.Conflict(Accounts.Taken(request.Username));
        }

        await db.Database.WriteAsync(new AuditEvent(id, AuditActions.EmployeeRegistered, id,
            new { request.Username, Role = Roles.Employee }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var signedIn = await sessions.StartAsync(id, request.Username, Roles.Employee, cancellationToken);
        RefreshCookie.Set(http, signedIn);
        return TypedResults.Created((string?)null, new RegisterResponse("registered", id, signedIn.Access.Token,
            signedIn.Access.ExpiresAt, signedIn.RefreshToken, signedIn.RefreshExpiresAt));
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, AttendanceDbContext db, PasswordHasher hasher,
        LoginThrottle throttle, SessionTokens sessions, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var standing = await throttle.StateAsync(Secret.Password, request.Username, cancellationToken);
        if (standing.RetryAfter is { } wait)
        {
            return TooManyFailures(http, wait);
        }

        var employee = await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Username == request.Username, cancellationToken);

        // Unknown user and wrong password get the same answer after the same BCrypt and throttle work.
        if (!hasher.Verify(request.Password, employee?.PasswordHash) || employee is null)
        {
            var address = http.Connection.RemoteIpAddress;
            var outcome = await throttle.RecordFailureAsync(Secret.Password, request.Username, LoginThrottle.Source(address), cancellationToken);
            if (outcome.LockedNow)
            {
                await AuditLockoutAsync(dataSource, employee?.Id, request.Username, address, cancellationToken);
            }

            return Problems.Unauthorized(InvalidCredentials);
        }

        if (!employee.Active)
        {
            return Problems.Unauthorized("This account has been deactivated; ask an admin.");
        }

        if (standing.HasFailures)
        {
            await throttle.RecordSuccessAsync(Secret.Password, request.Username, cancellationToken);
        }

        if (hasher.NeedsRehash(employee.PasswordHash))
        {
            // A stronger hash of the same password (this ends the person's other sessions once, see README).
            await db.Employees.Where(e => e.Id == employee.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.PasswordHash, hasher.Hash(request.Password)), cancellationToken);
        }

        var signedIn = await sessions.StartAsync(employee.Id, employee.Username, employee.Role, cancellationToken);
        RefreshCookie.Set(http, signedIn);
        return TypedResults.Ok(LoginResponse.From(signedIn));
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> RefreshAsync(
        [FromBody] RefreshRequest? request, HttpContext http, SessionTokens sessions, CancellationToken cancellationToken)
    {
        if ((request?.RefreshToken ?? RefreshCookie.Read(http)) is not { } refreshToken)
        {
            return Problems.Unauthorized(RefreshCookie.Missing);
        }

        // An access token sent along (expired is fine: that is why one refreshes) must be of the same account.
        int? caller = null;
        if (http.Request.Headers.Authorization.Count > 0)
        {
            if (await SignedAccessToken.EmployeeOfAsync(http) is not { } employeeId)
            {
                return Problems.Unauthorized("The access token sent along is not valid; send only the refresh token.");
            }

            caller = employeeId;
        }

        var (signedIn, refusal) = await sessions.RefreshAsync(refreshToken, caller, cancellationToken);
        if (signedIn is null)
        {
            if (request?.RefreshToken is null)
            {
                RefreshCookie.Clear(http);
            }

            return Problems.Unauthorized(refusal!.Detail);
        }

        RefreshCookie.Set(http, signedIn);
        return TypedResults.Ok(LoginResponse.From(signedIn));
    }

    /// <summary>
    /// Which session: the refresh token in the body, else the bearer token's, else the cookie's (an
    /// expired access token still lets the page sign out with its cookie).
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(
        [FromBody] RefreshRequest? request, HttpContext http, SessionTokens sessions, CancellationToken cancellationToken)
    {
        Guid? session = null;
        var refreshToken = request?.RefreshToken;
        if (refreshToken is null && http.Request.Headers.Authorization.Count > 0)
        {
            var bearer = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            if (bearer.Failure is TokenRevokedException revoked)
            {
                return Problems.Unauthorized($"This token has been revoked ({revoked.Reason}): there is nothing left to end.");
            }

            if (bearer.Succeeded)
            {
                session = Guid.TryParseExact(bearer.Principal.FindFirst(JwtClaims.Session)?.Value, "N", out var sid) ? sid : null;
                if (session is null)
                {
                    return Problems.Unauthorized("This token belongs to no session; it simply expires.");
                }
            }
        }

        if (session is null && (refreshToken ?? RefreshCookie.Read(http)) is { } presented)
        {
            session = await sessions.SessionOfAsync(presented, cancellationToken);
            if (session is null)
            {
                RefreshCookie.Clear(http);
                return Problems.Unauthorized("The refresh token is not valid: there is no session to end.");
            }
        }

        if (session is null)
        {
            return Problems.Unauthorized("Send the refresh token (body or cookie) or a valid access token of the session to end.");
        }

        RefreshCookie.Clear(http);
        return await sessions.EndAsync(session.Value, "logged out", cancellationToken)
            ? TypedResults.NoContent()
            : Problems.Unauthorized("This session has already ended.");
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal user, HttpContext http, AttendanceDbContext db,
        PasswordHasher hasher, CurrentPassword currentPassword, CancellationToken cancellationToken)
    {
        var employee = await db.Employees.SingleOrDefaultAsync(e => e.Id == user.GetEmployeeId(), cancellationToken);
        if (employee is null || !employee.Active)
        {
            return Problems.Forbidden("This account no longer exists or has been deactivated.");
        }

        var confirmation = await currentPassword.ConfirmAsync(employee, request.CurrentPassword, http.Connection.RemoteIpAddress, cancellationToken);
        if (confirmation.RetryAfter is { } wait)
        {
            return TooManyFailures(http, wait);
        }

        if (!confirmation.Correct)
        {
            return Problems.Invalid("current_password", "current_password is not correct.");
        }

        // The database's trigger ends every session of the employee and revokes their tokens.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        employee.PasswordHash = hasher.Hash(request.NewPassword);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(employee.Id, AuditActions.PasswordChanged, employee.Id), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        RefreshCookie.Clear(http);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult TooManyFailures(HttpContext http, TimeSpan wait) =>
        Problems.TooManyRequests(http.Response, wait, CurrentPassword.LockedDetail);

    /// <summary>A username just got locked: worth a row in the audit log (never the password tried).</summary>
    private static Task AuditLockoutAsync(NpgsqlDataSource dataSource, int? employeeId, string username, System.Net.IPAddress? address, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(dataSource, new AuditEvent(null, AuditActions.LoginLockedOut, employeeId,
            new { Username = username, Address = address?.ToString() }), cancellationToken);
}
