using System.Globalization;
using System.Security.Claims;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Corrections;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>
/// Corrections: an employee asks to add a missing record or void a wrong one, an approver decides;
/// an approver may also fix directly (<c>"apply": true</c>). Every step is audited.
/// </summary>
public static class CorrectionsApi
{
    public const int MinReason = 3;
    public const int MaxReason = 500;
    public const int MaxNote = 500;

    public static IEndpointRouteBuilder MapCorrectionsApi(this IEndpointRouteBuilder app)
    {
        var corrections = app.MapGroup("/attendance/corrections").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        corrections.MapPost("/", FileAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Ask to add a missing record or void a wrong one; an approver may apply it at once.");
        corrections.MapGet("/", ListAsync)
            .WithSummary("Corrections in the caller's scope, newest first (status, employee_id, limit, after).");
        corrections.MapGet("/{id}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One correction in the caller's scope.");
        corrections.MapPost("/{id}/approve", (long id, DecisionRequest? request, AccessScope scope, CorrectionStore store, CancellationToken cancellationToken) =>
                DecideAsync(id, approve: true, request, scope, store, cancellationToken))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Approve a pending correction: applied in the same transaction, or 409 naming the record it conflicts with.");
        corrections.MapPost("/{id}/reject", (long id, DecisionRequest? request, AccessScope scope, CorrectionStore store, CancellationToken cancellationToken) =>
                DecideAsync(id, approve: false, request, scope, store, cancellationToken))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Reject a pending correction, with an optional note.");
        return app;
    }

    public static async Task<Results<Created<CorrectionResponse>, ValidationProblem, ProblemHttpResult>> FileAsync(
        CorrectionRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user, AccessScope scope, CorrectionStore store, AttendanceQueries queries, [AsParameters] AttendanceServices services,
        CancellationToken cancellationToken)
    {
        var callerId = user.GetEmployeeId();
        if (callerId == 0)
        {
            return Problems.Forbidden("Only a person's token can file a correction.");
        }

        if (!IdempotencyKeys.IsValid(idempotencyKey, out var keyProblem))
        {
            return keyProblem!;
        }

        if (!CorrectionKinds.IsValid(request.Kind))
        {
            return Problems.Invalid("kind", "kind must be \"add\" or \"void\".");
        }

        if (!TryReason(request.Reason, out var reason, out var problem))
        {
            return problem!;
        }

        var employeeId = request.EmployeeId ?? callerId;
        if (employeeId <= 0)
        {
            return Problems.Invalid("employee_id", "employee_id must be a positive id.");
        }

        if (request.Kind == CorrectionKinds.Add)
        {
            if (ValidateAdd(request, services) is { } invalid)
            {
                return invalid;
            }
        }
        else if (request.RecordId is not > 0 || request.Action is not null || request.Timestamp is not null)
        {
            return request.RecordId is not > 0
                ? Problems.Invalid("record_id", "A void names the record to withdraw: record_id, a positive id.")
                : Problems.Invalid("action", "A void takes only record_id and reason; action and timestamp belong to an add.");
        }

        if (!scope.Includes(employeeId))
        {
            return Problems.Forbidden("An employee files corrections of their own attendance only.");
        }

        if (request.Apply && !scope.Approves(employeeId))
        {
            return Problems.Forbidden(employeeId == callerId
                ? "Nobody applies a correction to their own attendance: file it without apply, and another approver decides."
                : $"Only an approver of employee {employeeId} (their team's manager or an admin) may apply a correction directly.");
        }

        if (employeeId != callerId && !await queries.EmployeeExistsAsync(employeeId, cancellationToken))
        {
            return Problems.NotFound($"There is no employee with id {employeeId}.");
        }

        var outcome = await store.FileAsync(new Filing(
            employeeId, request.Kind!, request.Action, request.Timestamp is { } t ? UtcTime.TruncateToMilliseconds(t) : null,
            request.RecordId, reason, callerId, request.Apply, idempotencyKey), cancellationToken);
        return outcome switch
        {
            CorrectionOutcome.Done done => TypedResults.Created(LocationOf(done.Correction), done.Correction),
            CorrectionOutcome.Replayed replayed => TypedResults.Created(LocationOf(replayed.Correction), replayed.Correction),
            CorrectionOutcome.Refused refused => Refusals.Problem(refused.Refusal, refused.Detail),
            _ => throw new InvalidOperationException("Unknown correction outcome."),
        };
    }

    public static async Task<Results<Ok<List<CorrectionResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string? status, [FromQuery(Name = "employee_id")] int? employeeId, int? limit, long? after, AccessScope scope, HttpContext http, CorrectionStore store,
        CancellationToken cancellationToken)
    {
        if (!Page.TryCreate(limit, after, out var page, out var problem))
        {
            return problem!;
        }

        if (status is not null && !CorrectionStatuses.IsValid(status))
        {
            return Problems.Invalid("status", "status must be pending, approved, rejected or applied.");
        }

        if (employeeId is < 0)
        {
            return Problems.Invalid("employee_id", "employee_id must be a positive id.");
        }

        if (employeeId is > 0 and var id && !scope.Includes(id))
        {
            return Problems.Forbidden(AccessScope.OutOfScope);
        }

        var items = await store.ListAsync(scope, employeeId ?? 0, status, page, cancellationToken);
        page.LinkNext(http.Response, items.Count, "/attendance/corrections", items.LastOrDefault()?.Id ?? 0,
            ("status", status), ("employee_id", employeeId is > 0 ? employeeId : null));
        return TypedResults.Ok(items);
    }

    public static async Task<Results<Ok<CorrectionResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, AccessScope scope, CorrectionStore store, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive correction id.");
        }

        // Out of scope looks the same as unknown: ids say nothing about other people's requests.
        return await store.FindAsync(id, cancellationToken) is { } correction && scope.Includes(correction.EmployeeId)
            ? TypedResults.Ok(correction)
            : Problems.NotFound($"There is no correction {id}.");
    }

    private static async Task<Results<Ok<CorrectionResponse>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        long id, bool approve, DecisionRequest? request, AccessScope scope, CorrectionStore store, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive correction id.");
        }

        var note = string.IsNullOrWhiteSpace(request?.Note) ? null : request.Note.Trim();
        if (note is { Length: > MaxNote })
        {
            return Problems.Invalid("note", $"note may have at most {MaxNote} characters.");
        }

        if (scope.EmployeeId == 0)
        {
            return Problems.Forbidden("Only a person's token can decide a correction.");
        }

        return await store.DecideAsync(id, scope, approve, note, cancellationToken) switch
        {
            CorrectionOutcome.Done done => TypedResults.Ok(done.Correction),
            CorrectionOutcome.Refused refused => Refusals.Problem(refused.Refusal, refused.Detail),
            _ => throw new InvalidOperationException("Unknown decision outcome."),
        };
    }

    /// <summary>A reason is required: 3–500 characters once trimmed.</summary>
    public static bool TryReason(string? given, out string reason, out ValidationProblem? problem)
    {
        reason = given?.Trim() ?? "";
        problem = reason.Length is < MinReason or > MaxReason
            ? Problems.Invalid("reason", $"reason is required: {MinReason}–{MaxReason} characters saying why.")
            : null;
        return problem is null;
    }

    private static ValidationProblem? ValidateAdd(CorrectionRequest request, AttendanceServices services)
    {
        if (!PunchActions.IsValid(request.Action))
        {
            return Problems.Invalid("action", "An add needs action \"in\" or \"out\".");
        }

        if (request.RecordId is not null)
        {
            return Problems.Invalid("record_id", "An add takes action, timestamp and reason; record_id belongs to a void.");
        }

        if (request.Timestamp is not { } timestamp)
        {
            return Problems.Invalid("timestamp", "An add needs the timestamp of the missing punch (ISO 8601 with Z).");
        }

        var now = services.Calendar.UtcNow;
        if (timestamp > now.AddSeconds(services.Options.FutureSkewSeconds))
        {
            return Problems.Invalid("timestamp", $"The time {UtcTime.Format(timestamp)} is in the future; a correction adds what happened.");
        }

        return timestamp < now.AddDays(-services.Options.CorrectionMaxDays)
            ? Problems.Invalid("timestamp", $"The time {UtcTime.Format(timestamp)} is more than {services.Options.CorrectionMaxDays} days ago (CORRECTION_MAX_DAYS).")
            : null;
    }

    public static string LocationOf(CorrectionResponse correction) =>
        string.Create(CultureInfo.InvariantCulture, $"/attendance/corrections/{correction.Id}");
}
