using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Data.Entities;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>Turns a run of punches into one summary per business day.</summary>
public static class DaySummaries
{
    /// <param name="punches">Oldest first; may start with the last punch before the period.</param>
    public static List<DaySummary> Compute(
        IReadOnlyList<PunchResponse> punches, DateOnly from, DateOnly to, BusinessCalendar calendar)
    {
        var now = calendar.UtcNow;

        // Worked intervals: each "in" to the following "out", or to now while still in.
        var intervals = new List<(DateTime Start, DateTime End, bool Open)>();
        DateTime? openSince = null;
        foreach (var punch in punches)
        {
            if (punch.Action == PunchActions.In)
            {
                openSince = punch.Timestamp;
            }
            else if (openSince is { } start)
            {
                intervals.Add((start, punch.Timestamp, false));
                openSince = null;
            }
        }

        if (openSince is { } stillIn)
        {
            intervals.Add((stillIn, now > stillIn ? now : stillIn, true));
        }

        var days = new List<DaySummary>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var (dayStart, dayEnd) = (calendar.StartOf(day), calendar.StartOf(day.AddDays(1)));
            var worked = TimeSpan.Zero;
            var open = false;
            foreach (var (start, end, isOpen) in intervals)
            {
                var overlap = (end < dayEnd ? end : dayEnd) - (start > dayStart ? start : dayStart);
                if (overlap > TimeSpan.Zero)
                {
                    worked += overlap;
                }

                open |= isOpen && start < dayEnd && end >= dayStart;
            }

            var inDay = punches.Where(p => p.Timestamp >= dayStart && p.Timestamp < dayEnd).ToList();
            days.Add(new DaySummary(
                day,
                inDay.FirstOrDefault(p => p.Action == PunchActions.In)?.Timestamp,
                inDay.LastOrDefault(p => p.Action == PunchActions.Out)?.Timestamp,
                (int)worked.TotalMinutes,
                open,
                inDay.Any(p => p.Source == PunchSources.Auto)));
        }

        return days;
    }
}
