using System.Security.Claims;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Attendance.Schedules;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>Working weeks and public holidays: anyone signed in reads them (the page shows each person's), admins change them.</summary>
public static class SchedulesApi
{
    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/schedules").RequireAuthorization();
        schedules.MapGet("/", ListAsync).WithSummary("Every schedule with its zone, grace, weekly shifts and number of people on it.");
        schedules.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Create a schedule (admin): name, IANA time_zone, grace_minutes 0–240, days {sat..fri: {start, end}}; end ≤ start is a night shift.");
        schedules.MapPut("/{id}", ReplaceAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Replace a schedule (admin); its people are judged by the new one, past days included.");
        schedules.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Delete a schedule nobody follows (admin).");

        var holidays = app.MapGroup("/holidays").RequireAuthorization();
        holidays.MapGet("/", HolidaysAsync).WithSummary("The holidays of a year (year=YYYY, default this year).");
        holidays.MapPost("/", AddHolidayAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Add a holiday (admin): nobody with a schedule is expected at work that day.");
        holidays.MapDelete("/{date}", RemoveHolidayAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Remove a holiday (admin).");
        return app;
    }

    public static async Task<Ok<List<ScheduleResponse>>> ListAsync(AttendanceDbContext db, CancellationToken cancellationToken)
    {
        var schedules = await db.Schedules.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new { Schedule = s, Assigned = db.Employees.Count(e => e.ScheduleId == s.Id) })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(schedules.ConvertAll(s => ToResponse(s.Schedule, s.Assigned)));
    }

    public static async Task<Results<Created<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ScheduleRequest request, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (Validate(request, out var valid) is { } problem)
        {
            return problem;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await NameTakenAsync(db, valid.Name, exceptId: 0, cancellationToken) is { } taken)
        {
            return taken;
        }

        var schedule = new Schedule { Name = valid.Name, TimeZone = valid.TimeZone, GraceMinutes = valid.GraceMinutes, Days = valid.Days };
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.ScheduleCreated, null,
            new { ScheduleId = schedule.Id, Schedule = Described(schedule) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/schedules/{schedule.Id}", ToResponse(schedule, 0));
    }

    public static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        int id, ScheduleRequest request, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (Validate(request, out var valid) is { } problem)
        {
            return problem;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.Schedules.FromSql($"SELECT * FROM schedules WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (schedule is null)
        {
            return Problems.NotFound($"There is no schedule with id {id}.");
        }

        if (await NameTakenAsync(db, valid.Name, exceptId: id, cancellationToken) is { } taken)
        {
            return taken;
        }

        var before = Described(schedule);
        (schedule.Name, schedule.TimeZone, schedule.GraceMinutes, schedule.Days) = (valid.Name, valid.TimeZone, valid.GraceMinutes, valid.Days);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.ScheduleChanged, null,
            new { ScheduleId = id, From = before, To = Described(schedule) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(schedule, await db.Employees.CountAsync(e => e.ScheduleId == id, cancellationToken)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        int id, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.Schedules.FromSql($"SELECT * FROM schedules WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (schedule is null)
        {
            return Problems.NotFound($"There is no schedule with id {id}.");
        }

        // Locks the people on it too, so nobody is given the schedule between the count and the delete.
        var assigned = await db.Employees.FromSql($"SELECT * FROM employees WHERE schedule_id = {id} FOR UPDATE").CountAsync(cancellationToken);
        if (assigned > 0)
        {
            return Problems.Conflict(
                $"Schedule '{schedule.Name}' is followed by {assigned} {(assigned == 1 ? "person" : "people")}; give them another schedule first.");
        }

        db.Schedules.Remove(schedule);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.ScheduleDeleted, null,
            new { ScheduleId = id, Schedule = Described(schedule) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<HolidayResponse>>, ValidationProblem>> HolidaysAsync(
        int? year, BusinessCalendar calendar, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        var asked = year ?? calendar.Today.Year;
        if (asked is < 2000 or > 2100)
        {
            return Problems.Invalid("year", "year must be 2000–2100.");
        }

        var (first, last) = (new DateOnly(asked, 1, 1), new DateOnly(asked, 12, 31));
        return TypedResults.Ok(await db.Holidays.AsNoTracking()
            .Where(h => h.Date >= first && h.Date <= last).OrderBy(h => h.Date)
            .Select(h => new HolidayResponse(h.Date, h.Name))
            .ToListAsync(cancellationToken));
    }

    public static async Task<Results<Created<HolidayResponse>, ValidationProblem, ProblemHttpResult>> AddHolidayAsync(
        HolidayRequest request, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (!BusinessCalendar.TryParseDay(request.Date, out var date))
        {
            return BusinessCalendar.InvalidDay("date");
        }

        if (!RequiredName.TryNormalize(request.Name, ScheduleRules.MaxName, out var name, out var problem))
        {
            return problem!;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await RefuseClosedMonthAsync(db, date, cancellationToken) is { } closed)
        {
            return closed;
        }

        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO holidays (date, name) VALUES ({date}, {name}) ON CONFLICT (date) DO NOTHING", cancellationToken);
        if (inserted == 0)
        {
            var existing = await db.Holidays.AsNoTracking().Where(h => h.Date == date).Select(h => h.Name).SingleAsync(cancellationToken);
            return Problems.Conflict($"{date:yyyy-MM-dd} is already a holiday ({existing}); remove it first to rename it.");
        }

        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.HolidayAdded, null, new { Date = date, Name = name }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/holidays/{date:yyyy-MM-dd}", new HolidayResponse(date, name));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveHolidayAsync(
        string date, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (!BusinessCalendar.TryParseDay(date, out var day))
        {
            return BusinessCalendar.InvalidDay("date");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await RefuseClosedMonthAsync(db, day, cancellationToken) is { } closed)
        {
            return closed;
        }

        var removed = await db.Holidays.FromSql($"DELETE FROM holidays WHERE date = {day} RETURNING *").AsNoTracking().ToListAsync(cancellationToken);
        if (removed.Count == 0)
        {
            return Problems.NotFound($"{date} is not a holiday.");
        }

        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.HolidayRemoved, null,
            new { Date = day, removed[0].Name }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A holiday judges its day: in a closed month it would change the report that went to payroll.
    /// The closed month's row is share-locked, so it cannot be reopened (or the holiday slip in) meanwhile.
    /// </summary>
    private static async Task<ProblemHttpResult?> RefuseClosedMonthAsync(AttendanceDbContext db, DateOnly date, CancellationToken cancellationToken)
    {
        var month = new DateOnly(date.Year, date.Month, 1);
        var closed = await db.ClosedPeriods.FromSql($"SELECT * FROM closed_periods WHERE month = {month} FOR SHARE")
            .AsNoTracking().AnyAsync(cancellationToken);
        return closed
            ? Problems.Conflict($"{month:yyyy-MM} is a closed period: its holidays cannot change. Reopen it first (POST /periods/{month:yyyy-MM}/reopen).")
            : null;
    }

    private sealed record ValidSchedule(string Name, string TimeZone, int GraceMinutes, string Days);

    /// <summary>Checks the whole request; the zone must be one this machine knows by its IANA name.</summary>
    private static ValidationProblem? Validate(ScheduleRequest request, out ValidSchedule valid)
    {
        valid = null!;
        if (!RequiredName.TryNormalize(request.Name, ScheduleRules.MaxName, out var name, out var problem))
        {
            return problem;
        }

        var zoneName = request.TimeZone?.Trim() ?? "";
        if (zoneName.Length is 0 or > ScheduleRules.MaxZone
            || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out var zone)
            || !zone.HasIanaId)
        {
            return Problems.Invalid("time_zone", $"'{request.TimeZone}' is not a known IANA time zone, such as Asia/Tehran or Europe/Berlin.");
        }

        if (request.GraceMinutes is not { } grace || grace is < 0 or > ScheduleRules.MaxGraceMinutes)
        {
            return Problems.Invalid("grace_minutes", $"grace_minutes is required: 0–{ScheduleRules.MaxGraceMinutes}.");
        }

        if (WorkWeek.TryParse(request.Days, out var error) is not { } week)
        {
            return Problems.Invalid("days", error!);
        }

        valid = new ValidSchedule(name, zone.Id, grace, WorkWeek.ToJson(week));
        return null;
    }

    private static async Task<ProblemHttpResult?> NameTakenAsync(AttendanceDbContext db, string name, int exceptId, CancellationToken cancellationToken) =>
        await db.Schedules.AnyAsync(s => s.Name == name && s.Id != exceptId, cancellationToken)
            ? Problems.Conflict($"There is already a schedule named '{name}'.")
            : null;

    private static object Described(Schedule schedule) =>
        new { schedule.Name, schedule.TimeZone, schedule.GraceMinutes, Days = WorkWeek.ToTimes(WorkWeek.FromJson(schedule.Days)) };

    private static ScheduleResponse ToResponse(Schedule schedule, int assigned) =>
        new(schedule.Id, schedule.Name, schedule.TimeZone, schedule.GraceMinutes, WorkWeek.ToTimes(WorkWeek.FromJson(schedule.Days)), assigned);
}
