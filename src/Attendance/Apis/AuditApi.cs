using System.Text.Json;
using AttendanceSystem.Attendance.Audit;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>The audit log (admins): read it with filters, and verify its hash chain.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/audit").RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status403Forbidden);
        audit.MapGet("/", ListAsync)
            .WithSummary("Audit rows in order (after, limit, employee_id, actor_id, action, from, to as business days).");
        audit.MapGet("/verify", VerifyAsync)
            .WithSummary("Recompute the hash chain: ok, rows, and the first row that was changed or removed.");
        return app;
    }

    public static async Task<Results<Ok<List<AuditEntryResponse>>, ValidationProblem>> ListAsync(
        int? limit, long? after, [FromQuery(Name = "employee_id")] int? employeeId, [FromQuery(Name = "actor_id")] int? actorId,
        string? action, string? from, string? to,
        AttendanceDbContext db, BusinessCalendar calendar, CancellationToken cancellationToken)
    {
        if (!Page.TryCreate(limit, after, out var page, out var problem))
        {
            return problem!;
        }

        if (employeeId is <= 0 || actorId is <= 0)
        {
            return Problems.Invalid(employeeId is <= 0 ? "employee_id" : "actor_id", "Ids are positive.");
        }

        if (action is { Length: > 64 })
        {
            return Problems.Invalid("action", "action names an audited action (at most 64 characters).");
        }

        var first = default(DateOnly);
        var last = default(DateOnly);
        if (from is not null && !BusinessCalendar.TryParseDay(from, out first))
        {
            return BusinessCalendar.InvalidDay("from");
        }

        if (to is not null && !BusinessCalendar.TryParseDay(to, out last))
        {
            return BusinessCalendar.InvalidDay("to");
        }

        var rows = db.AuditLog.AsNoTracking().Where(a => a.Id > page.After);
        if (employeeId is { } employee)
        {
            rows = rows.Where(a => a.EmployeeId == employee);
        }

        if (actorId is { } actor)
        {
            rows = rows.Where(a => a.ActorId == actor);
        }

        if (action is not null)
        {
            rows = rows.Where(a => a.Action == action);
        }

        if (from is not null)
        {
            var start = calendar.StartOf(first);
            rows = rows.Where(a => a.At >= start);
        }

        if (to is not null)
        {
            var end = calendar.StartOf(last.AddDays(1));
            rows = rows.Where(a => a.At < end);
        }

        var items = await rows.OrderBy(a => a.Id).Take(page.Limit)
            .Select(a => new { a.Id, a.At, a.ActorId, Actor = db.Employees.Where(e => e.Id == a.ActorId).Select(e => e.Username).FirstOrDefault(), a.Action, a.EmployeeId, a.Details })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(items.ConvertAll(a =>
        {
            using var details = JsonDocument.Parse(a.Details);
            return new AuditEntryResponse(a.Id, a.At, a.ActorId, a.Actor, a.Action, a.EmployeeId, details.RootElement.Clone());
        }));
    }

    public static async Task<Ok<AuditVerification>> VerifyAsync(AuditChain chain, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chain.VerifyAsync(cancellationToken));
}
