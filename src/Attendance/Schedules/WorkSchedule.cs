using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data.Entities;

namespace AttendanceSystem.Attendance.Schedules;

/// <summary>
/// A schedule ready for judging: its zone, grace and week, and where each of its business days
/// begins and ends in UTC. A day is local midnight to midnight, except after a night shift: the
/// shift's day owns its punches, so the next day starts halfway between that shift's end and the
/// next shift's start, at most <see cref="NightShiftTail"/> after the end (a day off begins then).
/// </summary>
public sealed class WorkSchedule(int id, TimeZoneInfo zone, int graceMinutes, IReadOnlyDictionary<DayOfWeek, Shift> week)
{
    /// <summary>How long after a night shift a punch still belongs to it: overtime, not the next day's work.</summary>
    public static readonly TimeSpan NightShiftTail = TimeSpan.FromHours(4);

    public int Id => id;

    public TimeZoneInfo Zone => zone;

    public int GraceMinutes => graceMinutes;

    public static WorkSchedule From(Schedule schedule) => Of(schedule.Id, schedule.TimeZone, schedule.GraceMinutes, schedule.Days);

    /// <summary>From a <c>schedules</c> row's columns (the zone was checked when it was stored).</summary>
    public static WorkSchedule Of(int id, string timeZone, int graceMinutes, string days) =>
        new(id, TimeZoneInfo.FindSystemTimeZoneById(timeZone), graceMinutes, WorkWeek.FromJson(days));

    /// <summary>
    /// When an "in" at <paramref name="since"/> was due to end: the end of the shift of the day it
    /// belongs to, or null when that day has no shift or the shift had already ended.
    /// </summary>
    public DateTime? ShiftEndAfter(DateTime since) =>
        ShiftOn(DayOf(since)) is { } shift && shift.End > since ? shift.End : null;

    /// <summary>The business day an instant belongs to: its local date, or the day before while that day's night shift still owns it.</summary>
    public DateOnly DayOf(DateTime utc)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));
        return utc < WindowOf(day).Start ? day.AddDays(-1) : day;
    }

    /// <summary>The day's shift in UTC, or null on a day off.</summary>
    public (DateTime Start, DateTime End)? ShiftOn(DateOnly day)
    {
        if (!week.TryGetValue(day.DayOfWeek, out var shift))
        {
            return null;
        }

        var start = BusinessCalendar.ToUtc(zone, day, shift.Start);
        var end = BusinessCalendar.ToUtc(zone, shift.IsNight ? day.AddDays(1) : day, shift.End);
        return (start, end);
    }

    /// <summary>The UTC span whose punches belong to this business day.</summary>
    public (DateTime Start, DateTime End) WindowOf(DateOnly day) => (BeginningOf(day), BeginningOf(day.AddDays(1)));

    private DateTime BeginningOf(DateOnly day)
    {
        var midnight = BusinessCalendar.ToUtc(zone, day, TimeOnly.MinValue);
        if (ShiftOn(day.AddDays(-1)) is not { } previous || previous.End <= midnight)
        {
            return midnight;
        }

        var next = ShiftOn(day)?.Start ?? BusinessCalendar.ToUtc(zone, day.AddDays(1), TimeOnly.MinValue);
        if (next <= previous.End)
        {
            return next;
        }

        var halfway = previous.End + ((next - previous.End) / 2);
        return halfway < previous.End + NightShiftTail ? halfway : previous.End + NightShiftTail;
    }
}
