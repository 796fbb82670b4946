using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Schedules;

/// <summary>Reads the schedules and holidays a range of days needs, and hands out each person's <see cref="DayPlan"/>.</summary>
public sealed class DayPlans(AttendanceDbContext db, BusinessCalendar calendar)
{
    /// <summary>The plan of one person (unscheduled when they have no schedule).</summary>
    public async Task<DayPlan> OfAsync(int employeeId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var person = await db.Employees.AsNoTracking().Where(e => e.Id == employeeId)
            .Select(e => new { e.ScheduleId, e.CreatedAt }).SingleOrDefaultAsync(cancellationToken);
        if (person?.ScheduleId is not { } scheduleId)
        {
            return DayPlan.Unscheduled(calendar);
        }

        var book = await BookAsync(from, to, [scheduleId], cancellationToken);
        return book.For(scheduleId, person.CreatedAt);
    }

    /// <summary>Every schedule (or those named) and the holidays of the range, for plans of many people at once.</summary>
    public async Task<PlanBook> BookAsync(DateOnly from, DateOnly to, IReadOnlyCollection<int>? scheduleIds, CancellationToken cancellationToken)
    {
        var schedules = await db.Schedules.AsNoTracking()
            .Where(s => scheduleIds == null || scheduleIds.Contains(s.Id))
            .ToListAsync(cancellationToken);

        // A night shift on the last day may end on the next, and a zone ahead of UTC starts a day early.
        var holidays = await db.Holidays.AsNoTracking()
            .Where(h => h.Date >= from.AddDays(-1) && h.Date <= to.AddDays(1))
            .Select(h => h.Date)
            .ToListAsync(cancellationToken);
        return new PlanBook(calendar, schedules.ToDictionary(s => s.Id, WorkSchedule.From), holidays.ToHashSet());
    }
}

/// <summary>The schedules and holidays of a range, read once.</summary>
public sealed class PlanBook(BusinessCalendar calendar, IReadOnlyDictionary<int, WorkSchedule> schedules, IReadOnlySet<DateOnly> holidays)
{
    public DayPlan For(int? scheduleId, DateTime createdAt) =>
        scheduleId is { } id && schedules.TryGetValue(id, out var schedule)
            ? DayPlan.Scheduled(schedule, holidays, schedule.DayOf(createdAt))
            : DayPlan.Unscheduled(calendar);

    /// <summary>The UTC span covering every plan's days from..to: what to read records for.</summary>
    public (DateTime Start, DateTime End) SpanOf(DateOnly from, DateOnly to)
    {
        var plans = schedules.Values.Select(s => DayPlan.Scheduled(s, holidays, DateOnly.MinValue)).Append(DayPlan.Unscheduled(calendar)).ToList();
        return (plans.Min(p => p.WindowOf(from).Start), plans.Max(p => p.WindowOf(to).End));
    }
}
