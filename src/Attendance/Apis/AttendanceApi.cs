using System.Globalization;
using System.Security.Claims;
using System.Text;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Corrections;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Attendance.Schedules;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>Punching, and reading attendance back: a day's records, summaries, presence and CSV export.</summary>
public static class AttendanceApi
{
    public static IEndpointRouteBuilder MapAttendanceApi(this IEndpointRouteBuilder app)
    {
        var attendance = app.MapGroup("/attendance").RequireAuthorization();
        attendance.MapPost("/", PunchAsync).AddEndpointFilter<PunchNetworks>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Punch in or out (optionally at a given time; source \"offline\" for one queued on a device; idempotent with Idempotency-Key).");
        attendance.MapGet("/calendar", Calendar)
            .WithSummary("The business calendar: its time zone and today's business date.");
        attendance.MapGet("/presence", PresenceAsync).RequireAuthorization(Policies.Supervisor)
            .WithSummary("Who in the caller's scope is checked in right now (managers: their teams; admins: everyone).");
        attendance.MapGet("/export.csv", ExportAsync).RequireAuthorization(Policies.Supervisor)
            .WithSummary("Every record in a date range as CSV, for the caller's scope (managers: their teams; admins: everyone).");
        attendance.MapGet("/{employeeId}", DayAsync)
            .WithSummary("One business day of an employee's records, newest first (include_voided=true: voided ones too, marked).");
        attendance.MapGet("/{employeeId}/summary", SummaryAsync)
            .WithSummary("Per business day (the schedule's, if any): first in, last out, worked minutes, still open, and judged against the schedule: scheduled, late, early leave, overtime minutes and status.");
        return app;
    }

    /// <summary>
    /// A punch. One dated more than PUNCH_BACKDATE_MINUTES back is a claim about the past: from a
    /// non-admin it becomes a pending correction (202) for an approver; an admin's is recorded and audited.
    /// A punch captured offline (the page queued it without a connection) is recorded with its
    /// capture time up to PUNCH_OFFLINE_HOURS back, audited, and its day flagged for review.
    /// </summary>
    public static async Task<Results<Created<PunchResponse>, Accepted<CorrectionResponse>, ValidationProblem, ProblemHttpResult>> PunchAsync(
        PunchRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user, HttpContext http, PunchStore store, CorrectionStore corrections, [AsParameters] AttendanceServices services,
        CancellationToken cancellationToken)
    {
        var (calendar, options) = (services.Calendar, services.Options);
        var employeeId = user.GetEmployeeId();
        if (employeeId == 0)
        {
            return Problems.Forbidden("Only an employee's own token can punch.");
        }

        if (!PunchActions.IsValid(request.Action))
        {
            return Problems.Invalid("action", "action must be \"in\" or \"out\".");
        }

        if (!IdempotencyKeys.IsValid(idempotencyKey, out var keyProblem))
        {
            return keyProblem!;
        }

        var offline = request.Source == PunchSources.Offline;
        if (request.Source is not (null or PunchSources.Punch or PunchSources.Offline))
        {
            return Problems.Invalid("source", "source must be \"punch\" or \"offline\".");
        }

        if (offline && request.Timestamp is null)
        {
            return Problems.Invalid("timestamp", "An offline punch carries the time it was captured: timestamp is required.");
        }

        DateTime? timestamp = null;
        var backdated = false;
        if (request.Timestamp is { } given)
        {
            timestamp = UtcTime.TruncateToMilliseconds(given);
            var now = calendar.UtcNow;
            if (timestamp > now.AddSeconds(options.FutureSkewSeconds))
            {
                return Problems.Conflict($"The time {UtcTime.Format(timestamp.Value)} is in the future; punches record what happened.");
            }

            if (timestamp < now.AddDays(-options.MaxBackdateDays))
            {
                return Problems.Conflict($"The time {UtcTime.Format(timestamp.Value)} is more than {options.MaxBackdateDays} days ago.");
            }

            backdated = timestamp < now.AddMinutes(-options.BackdateMinutes);
            offline &= timestamp >= now.AddHours(-options.OfflineHours);
        }

        if (backdated && !offline && user.GetRole() != Roles.Admin)
        {
            return await FileBackdatedAsync(request, timestamp!.Value, employeeId, idempotencyKey, corrections, calendar, http, cancellationToken);
        }

        var sentAt = calendar.UtcNow;
        var audit = offline ? AuditActions.PunchOffline : backdated ? AuditActions.PunchBackdated : null;
        var outcome = await store.PunchAsync(
            new NewPunch(employeeId, request.Action, timestamp, idempotencyKey, offline ? PunchSources.Offline : PunchSources.Punch),
            audit is null ? null : record => new AuditEvent(employeeId, audit, employeeId,
                new { RecordId = record.Id, record.Action, record.Timestamp, SentAt = sentAt }),
            cancellationToken);
        switch (outcome)
        {
            case PunchOutcome.Refused refused:
                return Refusals.Problem(refused.Rule.Refusal, refused.Reason);
            case PunchOutcome.Replayed replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Created(LocationOf(replayed.Record, calendar), replayed.Record);
            case PunchOutcome.Created created:
                return TypedResults.Created(LocationOf(created.Record, calendar), created.Record);
            default:
                throw new InvalidOperationException("Unknown punch outcome.");
        }
    }

    private static async Task<Results<Created<PunchResponse>, Accepted<CorrectionResponse>, ValidationProblem, ProblemHttpResult>> FileBackdatedAsync(
        PunchRequest request, DateTime timestamp, int employeeId, string? idempotencyKey, CorrectionStore corrections,
        BusinessCalendar calendar, HttpContext http, CancellationToken cancellationToken)
    {
        var reason = request.Reason;
        if (string.IsNullOrWhiteSpace(reason))
        {
            reason = request.Source == PunchSources.Offline
                ? $"Punch captured offline at {UtcTime.Format(timestamp)}, sent at {UtcTime.Format(calendar.UtcNow)}."
                : $"Punch dated {UtcTime.Format(timestamp)}, sent at {UtcTime.Format(calendar.UtcNow)}.";
        }
        else if (!CorrectionsApi.TryReason(reason, out reason, out var problem))
        {
            return problem!;
        }

        var outcome = await corrections.FileAsync(new Filing(employeeId, CorrectionKinds.Add, request.Action, timestamp, null, reason,
            employeeId, IdempotencyKey: idempotencyKey, Backdated: true), cancellationToken);
        switch (outcome)
        {
            case CorrectionOutcome.Replayed replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Accepted(CorrectionsApi.LocationOf(replayed.Correction), replayed.Correction);
            case CorrectionOutcome.Done done:
                return TypedResults.Accepted(CorrectionsApi.LocationOf(done.Correction), done.Correction);
            case CorrectionOutcome.Refused refused:
                return Refusals.Problem(refused.Refusal, refused.Detail);
            default:
                throw new InvalidOperationException("Unknown correction outcome.");
        }
    }

    public static async Task<Results<Ok<List<PunchResponse>>, ValidationProblem, ProblemHttpResult>> DayAsync(
        int employeeId, string? date, [FromQuery(Name = "include_voided")] bool? includeVoided,
        AccessScope scope, AttendanceQueries queries, DayPlans plans, BusinessCalendar calendar, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(employeeId, scope, queries, cancellationToken) is { } refused)
        {
            return refused;
        }

        var day = calendar.Today;
        if (date is not null && !BusinessCalendar.TryParseDay(date, out day))
        {
            return BusinessCalendar.InvalidDay("date");
        }

        // A scheduled person's day is their schedule's: its zone, and a night shift's punches with the day it started.
        var plan = await plans.OfAsync(employeeId, day, day, cancellationToken);
        day = date is null ? plan.DayOf(calendar.UtcNow) : day;
        var (start, end) = plan.WindowOf(day);
        return TypedResults.Ok(await queries.BetweenNewestFirstAsync(employeeId, start, end, includeVoided == true, cancellationToken));
    }

    public static async Task<Results<Ok<List<DaySummary>>, ValidationProblem, ProblemHttpResult>> SummaryAsync(
        int employeeId, string? from, string? to, AccessScope scope, AttendanceQueries queries, DayPlans plans,
        [AsParameters] AttendanceServices services, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(employeeId, scope, queries, cancellationToken) is { } refused)
        {
            return refused;
        }

        var calendar = services.Calendar;
        if (!TryParseRange(from, to, calendar, services.Options, defaultDays: 7, out var first, out var last, out var problem))
        {
            return problem!;
        }

        var plan = await plans.OfAsync(employeeId, first, last, cancellationToken);
        var punches = await queries.ForSummaryAsync(employeeId, plan.WindowOf(first).Start, plan.WindowOf(last).End, cancellationToken);
        return TypedResults.Ok(DaySummaries.Compute(punches, first, last, calendar.UtcNow, plan));
    }

    /// <summary>What "today" means here: the page files live records under the server's business day, not the browser's.</summary>
    public static Ok<CalendarInfo> Calendar(BusinessCalendar calendar) =>
        TypedResults.Ok(new CalendarInfo(calendar.TimeZone, calendar.Today));

    public static async Task<Ok<List<PresenceEntry>>> PresenceAsync(AccessScope scope, AttendanceQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.PresentAsync(scope.Ids, cancellationToken));

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> ExportAsync(
        string? from, string? to, ClaimsPrincipal user, AccessScope scope, AttendanceQueries queries, NpgsqlDataSource dataSource,
        [AsParameters] AttendanceServices services, CancellationToken cancellationToken)
    {
        var calendar = services.Calendar;
        if (!TryParseRange(from, to, calendar, services.Options, defaultDays: 31, out var first, out var last, out var problem))
        {
            return problem!;
        }

        // Who took everyone's attendance out of the system, and which days.
        await AuditLog.WriteAsync(dataSource, new AuditEvent(user.GetEmployeeId(), AuditActions.ExportDownloaded, null,
            new { Format = "csv", From = first, To = last, Scope = scope.Everyone ? "everyone" : "team" }), cancellationToken);

        var fileName = string.Create(CultureInfo.InvariantCulture, $"attendance-{first:yyyy-MM-dd}-{last:yyyy-MM-dd}.csv");
        return TypedResults.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            await writer.WriteLineAsync("id,employee_id,username,action,timestamp,recorded_at,source");
            await foreach (var (record, username) in queries.ExportAsync(
                calendar.StartOf(first), calendar.StartOf(last.AddDays(1)), scope.Ids, CancellationToken.None))
            {
                // Usernames and actions are restricted to [A-Za-z0-9._-] and in/out: nothing to quote.
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{record.Id},{record.EmployeeId},{username},{record.Action},{UtcTime.Format(record.Timestamp)},{UtcTime.Format(record.RecordedAt)},{record.Source}"));
            }
        }, "text/csv; charset=utf-8", fileName);
    }

    /// <summary>Callers read the records in their scope (<see cref="AccessScope"/>), and learn when an id in it is unknown.</summary>
    private static async Task<ProblemHttpResult?> AuthorizeAsync(
        int employeeId, AccessScope scope, AttendanceQueries queries, CancellationToken cancellationToken)
    {
        if (employeeId <= 0)
        {
            return TypedResults.Problem("employee_id must be a positive id.", statusCode: StatusCodes.Status400BadRequest, title: "Bad Request");
        }

        if (!scope.Includes(employeeId))
        {
            return Problems.Forbidden(AccessScope.OutOfScope);
        }

        return employeeId == scope.EmployeeId || await queries.EmployeeExistsAsync(employeeId, cancellationToken)
            ? null
            : Problems.NotFound($"There is no employee with id {employeeId}.");
    }

    private static bool TryParseRange(string? from, string? to, BusinessCalendar calendar, AttendanceOptions options,
        int defaultDays, out DateOnly first, out DateOnly last, out ValidationProblem? problem)
    {
        problem = null;
        last = calendar.Today;
        first = default;
        if (to is not null && !BusinessCalendar.TryParseDay(to, out last))
        {
            problem = BusinessCalendar.InvalidDay("to");
            return false;
        }

        first = last.AddDays(1 - defaultDays);
        if (from is not null && !BusinessCalendar.TryParseDay(from, out first))
        {
            problem = BusinessCalendar.InvalidDay("from");
            return false;
        }

        if (first > last)
        {
            problem = Problems.Invalid("from", "from must not be after to.");
        }
        else if (last.DayNumber - first.DayNumber + 1 > options.ReportMaxDays)
        {
            problem = Problems.Invalid("to", $"A range may cover at most {options.ReportMaxDays} days.");
        }

        return problem is null;
    }

    private static string LocationOf(PunchResponse record, BusinessCalendar calendar) =>
        string.Create(CultureInfo.InvariantCulture,
            $"/attendance/{record.EmployeeId}?date={calendar.DayOf(record.Timestamp):yyyy-MM-dd}");
}

/// <summary>What several endpoints need besides their own arguments (bound with <c>[AsParameters]</c>).</summary>
public readonly record struct AttendanceServices(BusinessCalendar Calendar, IOptions<AttendanceOptions> Settings)
{
    public AttendanceOptions Options => Settings.Value;
}
