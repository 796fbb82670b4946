using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Schedules;
using AttendanceSystem.Data.Entities;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>Turns a run of punches into one summary per business day, judged against the person's plan.</summary>
public static class DaySummaries
{
    /// <param name="punches">Oldest first, from the effective timeline; may start before the period (the last punch before it tells whether it starts checked in).</param>
    public static List<DaySummary> Compute(IReadOnlyList<PunchResponse> punches, DateOnly from, DateOnly to, DateTime now, DayPlan plan)
    {
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
        for (var day = from < plan.FirstDay ? plan.FirstDay : from; day <= to; day = day.AddDays(1))
        {
            var (dayStart, dayEnd) = plan.WindowOf(day);
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
            var facts = new DayFacts(
                inDay.FirstOrDefault(p => p.Action == PunchActions.In)?.Timestamp,
                inDay.LastOrDefault(p => p.Action == PunchActions.Out)?.Timestamp,
                (int)worked.TotalMinutes,
                open);
            var judged = Judge(facts, plan.ExpectedOn(day), plan.Schedule?.GraceMinutes ?? 0, now);
            days.Add(new DaySummary(
                day, facts.FirstIn, facts.LastOut, facts.WorkedMinutes, open,
                NeedsReview: inDay.Any(p => p.Source is PunchSources.Auto or PunchSources.Offline),
                judged.Scheduled, judged.Late, judged.EarlyLeave, judged.Overtime, judged.Status));
        }

        return days;
    }

    private readonly record struct DayFacts(DateTime? FirstIn, DateTime? LastOut, int WorkedMinutes, bool Open)
    {
        public bool Attended => FirstIn is not null || WorkedMinutes > 0;
    }

    private readonly record struct Judgement(int Scheduled, int Late, int EarlyLeave, int Overtime, string? Status);

    /// <summary>
    /// Late: first in after the shift start by more than the grace (all of it counts). Early leave:
    /// the last out before the shift end. Overtime: worked beyond the scheduled minutes. A workday
    /// whose shift has not begun and that has no punch yet is not judged (status null).
    /// </summary>
    private static Judgement Judge(DayFacts facts, (DayKind Kind, (DateTime Start, DateTime End)? Shift) expected, int graceMinutes, DateTime now)
    {
        var attended = facts.Open ? DayStatuses.Open : facts.Attended ? DayStatuses.Present : null;
        if (expected is not { Kind: DayKind.Workday, Shift: var (start, end) })
        {
            var offStatus = expected.Kind switch
            {
                DayKind.Holiday => DayStatuses.Holiday,
                DayKind.DayOff => DayStatuses.DayOff,
                _ => null,
            };

            // Work on a day off or a holiday is all overtime; a day without a schedule is not judged.
            return expected.Kind == DayKind.Unjudged
                ? new Judgement(0, 0, 0, 0, attended)
                : new Judgement(0, 0, 0, facts.WorkedMinutes, attended ?? offStatus);
        }

        var scheduled = (int)(end - start).TotalMinutes;
        if (!facts.Attended)
        {
            return new Judgement(scheduled, 0, 0, 0, now < start ? null : DayStatuses.Absent);
        }

        var late = facts.FirstIn is { } firstIn && (int)(firstIn - start).TotalMinutes is var delay && delay > graceMinutes ? delay : 0;
        var earlyLeave = !facts.Open && facts.LastOut is { } lastOut && lastOut < end ? (int)(end - lastOut).TotalMinutes : 0;
        var overtime = Math.Max(0, facts.WorkedMinutes - scheduled);
        var status = facts.Open ? DayStatuses.Open : late > 0 ? DayStatuses.Late : DayStatuses.Present;
        return new Judgement(scheduled, late, earlyLeave, overtime, status);
    }
}

/// <summary>A summary row's <c>status</c>.</summary>
public static class DayStatuses
{
    public const string Present = "present";
    public const string Late = "late";
    public const string Absent = "absent";
    public const string DayOff = "day_off";
    public const string Holiday = "holiday";
    public const string Open = "open";
}
