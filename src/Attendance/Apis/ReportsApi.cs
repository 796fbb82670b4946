using System.Security.Claims;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Attendance.Reports;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>The monthly report (admins), as JSON, CSV or XLSX, by Gregorian or Solar Hijri month.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/reports").RequireAuthorization(Policies.Admin).MapGet("/monthly", MonthlyAsync)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Per person for a month: days present, worked minutes, open days, corrections (month=YYYY-MM, calendar=gregorian|persian, format=json|csv|xlsx).");
        return app;
    }

    public static async Task<Results<Ok<MonthlyReportResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> MonthlyAsync(
        string? month, string? calendar, string? format, [FromQuery(Name = "team_id")] int? teamId,
        ClaimsPrincipal user, MonthlyReports reports, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
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
            // Teams come with managers; until one exists, no id names a team.
            return team <= 0 ? Problems.Invalid("team_id", "team_id must be a positive id.") : Problems.NotFound($"There is no team with id {team}.");
        }

        var report = await reports.BuildAsync(asked, cancellationToken);
        await AuditLog.WriteAsync(dataSource, new AuditEvent(user.GetEmployeeId(), AuditActions.ReportDownloaded, null,
            new { report.Month, report.Calendar, Format = format, report.From, report.To }), cancellationToken);
        return format switch
        {
            "csv" => TypedResults.File(ReportFiles.Csv(report), "text/csv; charset=utf-8", ReportFiles.FileName(report, "csv")),
            "xlsx" => TypedResults.File(await ReportFiles.XlsxAsync(report, cancellationToken),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ReportFiles.FileName(report, "xlsx")),
            _ => TypedResults.Ok(report),
        };
    }
}
