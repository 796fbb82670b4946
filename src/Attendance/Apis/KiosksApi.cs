using System.Security.Claims;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Kiosks;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.Data.Credentials;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>
/// Kiosks: shared screens by the door. Admins register (token shown once) and revoke them; people
/// set a PIN; a kiosk punches for whoever gives their username and PIN. Wrong PINs are throttled
/// in PostgreSQL like passwords (per person, and per kiosk as a whole), and everything is audited.
/// </summary>
public static class KiosksApi
{
    private const string WrongPin = "Wrong username or PIN.";
    private const string UnknownKiosk = "This kiosk's token is unknown or has been revoked; an admin registers kiosks on the page under Kiosks.";

    public static IEndpointRouteBuilder MapKiosksApi(this IEndpointRouteBuilder app)
    {
        var kiosks = app.MapGroup("/kiosks").RequireAuthorization(Policies.Admin);
        kiosks.MapGet("/", ListAsync).WithSummary("Every kiosk, revoked ones too (never their tokens) — admin.");
        kiosks.MapPost("/", RegisterAsync)
            .WithSummary("Register a kiosk (optionally for one team): the answer holds its token, shown this once — admin.");
        kiosks.MapDelete("/{id:int}", RevokeAsync).WithSummary("Revoke a kiosk: its token stops working at once — admin.");

        app.MapPut("/me/pin", SetPinAsync).RequireAuthorization()
            .WithSummary("Set or change the caller's kiosk PIN (4–8 digits); the current password confirms it.");

        // A kiosk is no person: it signs with its own token (Authorization: Bearer kiosk_…), not a JWT.
        var kiosk = app.MapGroup("/kiosk").AllowAnonymous();
        kiosk.MapGet("/", SelfAsync).WithSummary("The calling kiosk: its name, and for a team's kiosk the people to pick from.");
        kiosk.MapGet("/photos/{employeeId:int}", PhotoAsync)
            .WithSummary("A photo the kiosk may show: of its team's members, or of someone who just punched at it.");
        kiosk.MapPost("/punch", PunchAsync).AddEndpointFilter<PunchNetworks>()
            .WithSummary("Punch for a person by username and PIN (no action: the opposite of their last).");
        return app;
    }

    public static async Task<Ok<List<KioskResponse>>> ListAsync(AttendanceDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Kiosks.AsNoTracking().OrderBy(k => k.Id)
            .Select(k => new KioskResponse(k.Id, k.Name, k.TeamId, k.CreatedAt, k.CreatedBy, k.RevokedAt, null))
            .ToListAsync(cancellationToken));

    public static async Task<Results<Created<KioskResponse>, ValidationProblem>> RegisterAsync(
        RegisterKioskRequest request, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        if (name.Length == 0)
        {
            return Problems.Invalid("name", "name must not be blank.");
        }

        if (request.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
        {
            return Problems.Invalid("team_id", $"There is no team with id {teamId}.");
        }

        var token = KioskTokens.New();
        var kiosk = new Kiosk { Name = name, TeamId = request.TeamId, TokenHash = KioskTokens.Hash(token), CreatedBy = user.GetEmployeeId() };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Kiosks.Add(kiosk);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(kiosk.CreatedBy, AuditActions.KioskRegistered, null,
            new { KioskId = kiosk.Id, kiosk.Name, kiosk.TeamId }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.Entry(kiosk).ReloadAsync(cancellationToken);
        return TypedResults.Created($"/kiosks/{kiosk.Id}",
            new KioskResponse(kiosk.Id, kiosk.Name, kiosk.TeamId, kiosk.CreatedAt, kiosk.CreatedBy, null, token));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        int id, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var revoked = await db.Kiosks.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, DateTime.UtcNow), cancellationToken);
        if (revoked == 0)
        {
            return await db.Kiosks.AnyAsync(k => k.Id == id, cancellationToken)
                ? Problems.Conflict($"Kiosk {id} is already revoked.")
                : Problems.NotFound($"There is no kiosk with id {id}.");
        }

        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.KioskRevoked, null, new { KioskId = id }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetPinAsync(
        SetPinRequest request, ClaimsPrincipal user, HttpContext http, AttendanceDbContext db, PasswordHasher hasher,
        CurrentPassword currentPassword, LoginThrottle throttle, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword))
        {
            return Problems.Invalid("current_password", "current_password is required: a PIN change is confirmed with the password.");
        }

        if (!Pins.TryNormalize(request.Pin, out var pin))
        {
            return Problems.Invalid("pin", Pins.Rule);
        }

        var employee = await db.Employees.SingleOrDefaultAsync(e => e.Id == user.GetEmployeeId(), cancellationToken);
        if (employee is null || !employee.Active)
        {
            return Problems.Forbidden("This account no longer exists or has been deactivated.");
        }

        var confirmation = await currentPassword.ConfirmAsync(employee, request.CurrentPassword, http.Connection.RemoteIpAddress, cancellationToken);
        if (confirmation.RetryAfter is { } wait)
        {
            return Problems.TooManyRequests(http.Response, wait, CurrentPassword.LockedDetail);
        }

        if (!confirmation.Correct)
        {
            return Problems.Invalid("current_password", "current_password is not correct.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        employee.PinHash = hasher.Hash(pin);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(employee.Id, AuditActions.PinChanged, employee.Id), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // A new PIN is a fresh start for kiosk guesses at it.
        await throttle.RecordSuccessAsync(Secret.Pin, employee.Username, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<KioskSelf>, ProblemHttpResult>> SelfAsync(
        HttpRequest http, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (await AuthenticateAsync(http, db, cancellationToken) is not { } kiosk)
        {
            return Problems.Unauthorized(UnknownKiosk);
        }

        var team = kiosk.TeamId is { } teamId ? await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) : null;
        var people = kiosk.TeamId is null ? [] : await db.Employees.AsNoTracking()
            .Where(e => e.TeamId == kiosk.TeamId && e.Active)
            .OrderBy(e => e.FullName ?? e.Username).ThenBy(e => e.Username)
            .Select(e => new KioskPerson(e.Id, e.Username, e.FullName, db.EmployeePhotos.Any(p => p.EmployeeId == e.Id)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new KioskSelf(kiosk.Id, kiosk.Name, kiosk.TeamId, team, people));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PhotoAsync(
        int employeeId, HttpRequest http, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (await AuthenticateAsync(http, db, cancellationToken) is not { } kiosk)
        {
            return Problems.Unauthorized(UnknownKiosk);
        }

        // Not a directory of everyone's faces: its own team, or the person it is confirming a punch for.
        var recently = DateTime.UtcNow.AddMinutes(-2);
        var photo = await db.EmployeePhotos.AsNoTracking()
            .Where(p => p.EmployeeId == employeeId)
            .Where(p => kiosk.TeamId != null && db.Employees.Any(e => e.Id == employeeId && e.TeamId == kiosk.TeamId)
                || db.Punches.Any(r => r.KioskId == kiosk.Id && r.EmployeeId == employeeId && r.RecordedAt >= recently))
            .SingleOrDefaultAsync(cancellationToken);
        if (photo is null)
        {
            return Problems.NotFound($"This kiosk has no photo of employee {employeeId} to show.");
        }

        http.HttpContext.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.File(photo.Bytes, photo.ContentType, entityTag: EntityTagHeaderValue.Parse(photo.ETag));
    }

    public static async Task<Results<Created<KioskPunchResponse>, ValidationProblem, ProblemHttpResult>> PunchAsync(
        KioskPunchRequest request, HttpContext http, AttendanceDbContext db, PunchStore store, PasswordHasher hasher,
        LoginThrottle throttle, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (await AuthenticateAsync(http.Request, db, cancellationToken) is not { } kiosk)
        {
            return Problems.Unauthorized(UnknownKiosk);
        }

        var username = request.Username?.Trim() ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(username, UsernameRules.Pattern))
        {
            return Problems.Invalid("username", "username is required: 3–64 letters, digits, dots, dashes or underscores.");
        }

        if (!Pins.TryNormalize(request.Pin, out var pin))
        {
            return Problems.Invalid("pin", Pins.Rule);
        }

        if (request.Action is not null && !PunchActions.IsValid(request.Action))
        {
            return Problems.Invalid("action", "action must be \"in\" or \"out\", or left out to punch the opposite of the last.");
        }

        var standing = await throttle.StateAsync(Secret.Pin, username, cancellationToken);
        if (standing.RetryAfter is { } wait)
        {
            return Problems.TooManyRequests(http.Response, wait, "Too many wrong PINs for this username; try again in {0} seconds.");
        }

        var person = await db.Employees.AsNoTracking().Where(e => e.Username == username)
            .Select(e => new { e.Id, e.Username, e.FullName, e.Active, e.PinHash, e.TeamId, e.LastAction, HasPhoto = db.EmployeePhotos.Any(p => p.EmployeeId == e.Id) })
            .SingleOrDefaultAsync(cancellationToken);

        // An unknown name, a person without a PIN and a wrong PIN: one answer after the same work.
        if (!hasher.Verify(pin, person?.PinHash) || person is null)
        {
            var outcome = await throttle.RecordFailureAsync(Secret.Pin, username, LoginThrottle.KioskSource(kiosk.Id), cancellationToken);
            if (outcome.LockedNow)
            {
                await AuditLog.WriteAsync(dataSource, new AuditEvent(null, AuditActions.PinLockedOut, person?.Id,
                    new { Username = username, KioskId = kiosk.Id, Kiosk = kiosk.Name }), cancellationToken);
            }

            return Problems.Unauthorized(WrongPin);
        }

        if (!person.Active)
        {
            return Problems.Forbidden("This account has been deactivated.");
        }

        if (kiosk.TeamId is { } teamId && person.TeamId != teamId)
        {
            return Problems.Forbidden($"This kiosk ({kiosk.Name}) is for one team's members only; punch at your own team's kiosk or on the page.");
        }

        if (standing.HasFailures)
        {
            await throttle.RecordSuccessAsync(Secret.Pin, username, cancellationToken);
        }

        var action = request.Action ?? (person.LastAction == PunchActions.In ? PunchActions.Out : PunchActions.In);
        var punched = await store.PunchAsync(new NewPunch(person.Id, action, Source: PunchSources.Kiosk, KioskId: kiosk.Id),
            record => new AuditEvent(person.Id, AuditActions.PunchAtKiosk, person.Id,
                new { RecordId = record.Id, record.Action, record.Timestamp, KioskId = kiosk.Id, Kiosk = kiosk.Name }),
            cancellationToken);
        return punched switch
        {
            PunchOutcome.Created { Record: var r } => TypedResults.Created($"/attendance/{r.EmployeeId}",
                new KioskPunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp, r.Source, false, person.Username, person.FullName, person.HasPhoto)),
            PunchOutcome.Refused refused => Refusals.Problem(refused.Rule.Refusal, refused.Reason),
            _ => throw new InvalidOperationException("A kiosk punch has no idempotency key to replay."),
        };
    }

    /// <summary>The active kiosk whose token the request carries, or null.</summary>
    private static async Task<Kiosk?> AuthenticateAsync(HttpRequest request, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (KioskTokens.FromRequest(request) is not { } token)
        {
            return null;
        }

        var hash = KioskTokens.Hash(token);
        return await db.Kiosks.AsNoTracking().SingleOrDefaultAsync(k => k.TokenHash == hash && k.RevokedAt == null, cancellationToken);
    }
}
