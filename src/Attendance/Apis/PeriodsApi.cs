using System.Security.Claims;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Periods;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>Closing a month (admins): once closed, nothing dated in it changes, so the report that went to payroll stays true.</summary>
public static class PeriodsApi
{
    public static IEndpointRouteBuilder MapPeriodsApi(this IEndpointRouteBuilder app)
    {
        var periods = app.MapGroup("/periods").RequireAuthorization();
        periods.MapGet("/", ListAsync)
            .WithSummary("The closed months, newest first.");
        periods.MapPost("/{month}/close", CloseAsync).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Close a month that has ended (YYYY-MM): punches, corrections and automatic check-outs dated in it are refused.");
        periods.MapPost("/{month}/reopen", ReopenAsync).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Reopen a closed month.");
        return app;
    }

    public static async Task<Ok<List<PeriodResponse>>> ListAsync(PeriodStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    public static async Task<Results<Ok<PeriodResponse>, ValidationProblem, ProblemHttpResult>> CloseAsync(
        string month, ClaimsPrincipal user, PeriodStore store, CancellationToken cancellationToken)
    {
        if (!CalendarMonth.TryParse(month, CalendarMonth.Gregorian, out var asked))
        {
            return CalendarMonth.Invalid(CalendarMonth.Gregorian);
        }

        var (closed, conflict) = await store.CloseAsync(asked.From, user.GetEmployeeId(), cancellationToken);
        return closed is null ? Problems.Conflict(conflict!) : TypedResults.Ok(closed);
    }

    public static async Task<Results<Ok<PeriodResponse>, ValidationProblem, ProblemHttpResult>> ReopenAsync(
        string month, ClaimsPrincipal user, PeriodStore store, CancellationToken cancellationToken)
    {
        if (!CalendarMonth.TryParse(month, CalendarMonth.Gregorian, out var asked))
        {
            return CalendarMonth.Invalid(CalendarMonth.Gregorian);
        }

        var (reopened, conflict) = await store.ReopenAsync(asked.From, user.GetEmployeeId(), cancellationToken);
        return reopened is null ? Problems.Conflict(conflict!) : TypedResults.Ok(reopened);
    }
}
