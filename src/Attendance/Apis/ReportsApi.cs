using System.Security.Claims;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Attendance.Reports;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>The monthly report (admins: everyone; managers: their teams), as JSON, CSV or XLSX, by Gregorian or Solar Hijri month.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/reports").RequireAuthorization(Policies.Supervisor).MapGet("/monthly", MonthlyAsync)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Per person in scope for a month, judged against their schedules: days present, late, absent; worked, late, early-leave, overtime minutes; open days; corrections (month=YYYY-MM, calendar=gregorian|persian, team_id, format=json|csv|xlsx).");
        return app;
    }

    public static async Task<Results<Ok<MonthlyReportResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> MonthlyAsync(
        string? month, string? calendar, string? format, [FromQuery(Name = "team_id")] int? teamId,
        ClaimsPrincipal user, AccessScope scope, AttendanceDbContext db, MonthlyReports reports, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        calendar ??= CalendarMonth.Gregorian;
        format ??= "json";
        if (calendar is not (CalendarMonth.Gregorian or CalendarMonth.Persian))
        {
            return Problems.Invalid("calendar", "calendar must be gregorian or persian.");
        }

        if (format is not ("json" or "csv" or "xlsx"))
        {
            return Problems.Invalid("format", "format must be json, csv or xlsx.");
        }

        if (!CalendarMonth.TryParse(month, calendar, out var asked))
        {
            return CalendarMonth.Invalid(calendar);
        }

        if (teamId is { } team)
        {
            if (team <= 0)
            {
                return Problems.Invalid("team_id", "team_id must be a positive id.");
            }

            var managerId = await db.Teams.Where(t => t.Id == team).Select(t => new { t.ManagerId }).SingleOrDefaultAsync(cancellationToken);
            if (managerId is null)
            {
                return Problems.NotFound($"There is no team with id {team}.");
            }

            if (!scope.Everyone && managerId.ManagerId != scope.EmployeeId)
            {
                return Problems.Forbidden("You may report on the teams you manage, and on any team as an admin.");
            }
        }

        var report = await reports.BuildAsync(asked, scope.Ids, teamId, cancellationToken);
        await AuditLog.WriteAsync(dataSource, new AuditEvent(user.GetEmployeeId(), AuditActions.ReportDownloaded, null,
            new { report.Month, report.Calendar, Format = format, report.From, report.To, TeamId = teamId, Rows = report.Rows.Count }), cancellationToken);
        return format switch
        {
            "csv" => TypedResults.File(ReportFiles.Csv(report), "text/csv; charset=utf-8", ReportFiles.FileName(report, "csv")),
            "xlsx" => TypedResults.File(await ReportFiles.XlsxAsync(report, cancellationToken),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ReportFiles.FileName(report, "xlsx")),
            _ => TypedResults.Ok(report),
        };
    }
}
