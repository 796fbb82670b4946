using AttendanceSystem.Attendance.Punches;

namespace AttendanceSystem.Attendance.Schedules;

/// <summary>What a business day asks of someone: nothing to judge, a shift, a day off or a holiday.</summary>
public enum DayKind
{
    Unjudged,
    Workday,
    DayOff,
    Holiday,
}

/// <summary>
/// One person's days: where each begins and ends, and what it expects of them. Without a schedule
/// the days are the configured zone's and nothing is judged; with one they are the schedule's,
/// judged against its shifts and the holidays, from the day the person was created.
/// </summary>
public sealed class DayPlan
{
    private readonly BusinessCalendar? _calendar;
    private readonly WorkSchedule? _schedule;
    private readonly IReadOnlySet<DateOnly> _holidays;

    private DayPlan(BusinessCalendar? calendar, WorkSchedule? schedule, IReadOnlySet<DateOnly> holidays, DateOnly firstDay) =>
        (_calendar, _schedule, _holidays, FirstDay) = (calendar, schedule, holidays, firstDay);

    public static DayPlan Unscheduled(BusinessCalendar calendar) => new(calendar, null, new HashSet<DateOnly>(), DateOnly.MinValue);

    public static DayPlan Scheduled(WorkSchedule schedule, IReadOnlySet<DateOnly> holidays, DateOnly firstDay) =>
        new(null, schedule, holidays, firstDay);

    public WorkSchedule? Schedule => _schedule;

    /// <summary>No row before this day: a scheduled person was not absent before they existed.</summary>
    public DateOnly FirstDay { get; }

    /// <summary>The business day an instant belongs to.</summary>
    public DateOnly DayOf(DateTime utc) => _schedule?.DayOf(utc) ?? _calendar!.DayOf(utc);

    public (DateTime Start, DateTime End) WindowOf(DateOnly day) =>
        _schedule?.WindowOf(day) ?? (_calendar!.StartOf(day), _calendar.StartOf(day.AddDays(1)));

    public (DayKind Kind, (DateTime Start, DateTime End)? Shift) ExpectedOn(DateOnly day)
    {
        if (_schedule is null)
        {
            return (DayKind.Unjudged, null);
        }

        if (_holidays.Contains(day))
        {
            return (DayKind.Holiday, null);
        }

        return _schedule.ShiftOn(day) is { } shift ? (DayKind.Workday, shift) : (DayKind.DayOff, null);
    }
}
