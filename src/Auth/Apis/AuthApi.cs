using System.Security.Claims;
using AttendanceSystem.Auth.Contracts;
using AttendanceSystem.Auth.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Auth.Apis;

/// <summary>Registration, login and the caller's own password.</summary>
public static class AuthApi
{
    private const string InvalidCredentials = "invalid credentials";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/register", RegisterAsync).AllowAnonymous()
            .WithSummary("Create an employee account and return a token.");
        app.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithSummary("Exchange a username and password for a token.");
        app.MapPost("/me/password", ChangePasswordAsync).RequireAuthorization()
            .WithSummary("Change the caller's own password.");
        return app;
    }

    public static async Task<Results<Created<RegisterResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, AttendanceDbContext db, PasswordHasher hasher, JwtTokenIssuer tokens,
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
        var token = tokens.Issue(id, request.Username, Roles.Employee);
        return TypedResults.Created((string?)null, new RegisterResponse("registered", id, token.Token));
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, AttendanceDbContext db, PasswordHasher hasher,
        LoginThrottle throttle, JwtTokenIssuer tokens, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var address = http.Connection.RemoteIpAddress;
        if (throttle.RetryAfter(request.Username, address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.TooManyRequests($"Too many failed logins; try again in {seconds} seconds.");
        }

        var employee = await db.Employees.SingleOrDefaultAsync(e => e.Username == request.Username, cancellationToken);

        // Unknown user and wrong password get the same answer after the same BCrypt work.
        if (!hasher.Verify(request.Password, employee?.PasswordHash) || employee is null)
        {
            if (throttle.RecordFailure(request.Username, address))
            {
                await AuditLockoutAsync(dataSource, employee?.Id, request.Username, address, cancellationToken);
            }

            return Problems.Unauthorized(InvalidCredentials);
        }

        if (!employee.Active)
        {
            return Problems.Unauthorized("This account has been deactivated; ask an admin.");
        }

        throttle.RecordSuccess(request.Username);
        if (hasher.NeedsRehash(employee.PasswordHash))
        {
            employee.PasswordHash = hasher.Hash(request.Password);
            await db.SaveChangesAsync(cancellationToken);
        }

        var token = tokens.Issue(employee.Id, employee.Username, employee.Role);
        return TypedResults.Ok(new LoginResponse(token.Token, token.ExpiresAt, employee.Id, employee.Role));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal user, HttpContext http, AttendanceDbContext db,
        PasswordHasher hasher, LoginThrottle throttle, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var employee = await db.Employees.SingleOrDefaultAsync(e => e.Id == user.GetEmployeeId(), cancellationToken);
        if (employee is null || !employee.Active)
        {
            return Problems.Forbidden("This account no longer exists or has been deactivated.");
        }

        // Guessing the current password through a stolen token counts as failed logins.
        if (throttle.RetryAfter(employee.Username, http.Connection.RemoteIpAddress) is not null)
        {
            return Problems.TooManyRequests("Too many failed attempts; try again later.");
        }

        if (!hasher.Verify(request.CurrentPassword, employee.PasswordHash))
        {
            if (throttle.RecordFailure(employee.Username, http.Connection.RemoteIpAddress))
            {
                await AuditLockoutAsync(dataSource, employee.Id, employee.Username, http.Connection.RemoteIpAddress, cancellationToken);
            }

            return Problems.Invalid("current_password", "current_password is not correct.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        employee.PasswordHash = hasher.Hash(request.NewPassword);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(employee.Id, AuditActions.PasswordChanged, employee.Id), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A username or address just reached its failure limit: worth a row in the audit log (never the password tried).</summary>
    private static Task AuditLockoutAsync(NpgsqlDataSource dataSource, int? employeeId, string username, System.Net.IPAddress? address, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(dataSource, new AuditEvent(null, AuditActions.LoginLockedOut, employeeId,
            new { Username = username, Address = address?.ToString() }), cancellationToken);
}
