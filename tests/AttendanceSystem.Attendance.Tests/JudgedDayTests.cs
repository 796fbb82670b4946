using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Attendance.Schedules;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// Days judged against a schedule in Europe/Berlin (it has daylight saving): Monday, Tuesday and
/// Thursday 09:00–17:00, Wednesday and Saturday nights 22:00–06:00, Friday and Sunday off, 10
/// minutes' grace; Thursday 19 November 2026 is a holiday.
/// </summary>
public sealed class JudgedDayTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static readonly WorkSchedule Office = new(1, Berlin, 10, new Dictionary<DayOfWeek, Shift>
    {
        [DayOfWeek.Monday] = new(new(9, 0), new(17, 0)),
        [DayOfWeek.Tuesday] = new(new(9, 0), new(17, 0)),
        [DayOfWeek.Wednesday] = new(new(22, 0), new(6, 0)),
        [DayOfWeek.Thursday] = new(new(9, 0), new(17, 0)),
        [DayOfWeek.Saturday] = new(new(22, 0), new(6, 0)),
    });

    private static readonly HashSet<DateOnly> Holidays = [new(2026, 11, 19)];

    [Fact]
    public void A_week_is_judged_day_by_day_against_the_schedule()
    {
        var punches = Punches(
            ("2026-11-16 09:08", "in"), ("2026-11-16 17:30", "out"),   // Monday: 8 minutes late is within the grace; 22 minutes' overtime
            ("2026-11-17 09:25", "in"), ("2026-11-17 16:40", "out"),   // Tuesday: 25 minutes late, left 20 minutes early
            ("2026-11-18 21:55", "in"), ("2026-11-19 06:10", "out"),   // Wednesday's night shift, ending on Thursday morning
            ("2026-11-22 10:00", "in"), ("2026-11-22 12:00", "out"));  // Sunday, a day off (from 10:00, after Saturday's night): all of it overtime
        var now = Local("2026-11-24 08:00");   // Tuesday morning, before the shift

        var days = DaySummaries.Compute(punches, new(2026, 11, 16), new(2026, 11, 24), now, Plan(created: "2026-01-01 00:00"))
            .ToDictionary(d => d.Date.Day);

        Assert.Equal(Enumerable.Range(16, 9), days.Keys);
        AssertDay(days[16], "present", scheduled: 480, worked: 502, late: 0, early: 0, overtime: 22);
        AssertDay(days[17], "late", scheduled: 480, worked: 435, late: 25, early: 20, overtime: 0);
        AssertDay(days[18], "present", scheduled: 480, worked: 495, late: 0, early: 0, overtime: 15);
        Assert.Equal(Local("2026-11-19 06:10"), days[18].LastOut);
        AssertDay(days[19], "holiday", scheduled: 0, worked: 0, late: 0, early: 0, overtime: 0);
        AssertDay(days[20], "day_off", scheduled: 0, worked: 0, late: 0, early: 0, overtime: 0);
        AssertDay(days[21], "absent", scheduled: 480, worked: 0, late: 0, early: 0, overtime: 0);
        AssertDay(days[22], "present", scheduled: 0, worked: 120, late: 0, early: 0, overtime: 120);
        AssertDay(days[23], "absent", scheduled: 480, worked: 0, late: 0, early: 0, overtime: 0);
        AssertDay(days[24], null, scheduled: 480, worked: 0, late: 0, early: 0, overtime: 0);
    }

    [Fact]
    public void Someone_still_in_is_open_and_their_lateness_already_counts()
    {
        var punches = Punches(("2026-11-17 09:45", "in"));
        var now = Local("2026-11-17 12:00");

        var day = DaySummaries.Compute(punches, new(2026, 11, 17), new(2026, 11, 17), now, Plan(created: "2026-01-01 00:00")).Single();

        AssertDay(day, "open", scheduled: 480, worked: 135, late: 45, early: 0, overtime: 0);
        Assert.True(day.Open);
    }

    [Fact]
    public void A_night_shift_across_the_spring_change_is_seven_hours_and_across_the_autumn_change_nine()
    {
        var punches = Punches(
            ("2026-03-28 21:58", "in"), ("2026-03-29 06:00", "out"),
            ("2026-10-24 22:00", "in"), ("2026-10-25 06:00", "out"));
        var plan = Plan(created: "2026-01-01 00:00");
        var now = Local("2026-11-01 12:00");

        var spring = DaySummaries.Compute(punches, new(2026, 3, 28), new(2026, 3, 29), now, plan);
        var autumn = DaySummaries.Compute(punches, new(2026, 10, 24), new(2026, 10, 25), now, plan);

        AssertDay(spring[0], "present", scheduled: 420, worked: 422, late: 0, early: 0, overtime: 2);
        AssertDay(spring[1], "day_off", scheduled: 0, worked: 0, late: 0, early: 0, overtime: 0);
        AssertDay(autumn[0], "present", scheduled: 540, worked: 540, late: 0, early: 0, overtime: 0);
        AssertDay(autumn[1], "day_off", scheduled: 0, worked: 0, late: 0, early: 0, overtime: 0);
    }

    [Fact]
    public void The_punches_of_a_night_shift_belong_to_the_day_it_started_and_the_next_day_starts_halfway_to_its_shift()
    {
        var plan = Plan(created: "2026-01-01 00:00");

        // Wednesday's shift ends at 06:00 on Thursday, whose shift starts at 09:00: Thursday begins at 07:30.
        Assert.Equal((Local("2026-11-18 00:00"), Local("2026-11-19 07:30")), plan.WindowOf(new(2026, 11, 18)));
        Assert.Equal(new DateOnly(2026, 11, 18), plan.DayOf(Local("2026-11-19 07:00")));
        Assert.Equal(new DateOnly(2026, 11, 19), plan.DayOf(Local("2026-11-19 08:00")));

        // Saturday's ends at 06:00 on Sunday, a day off: Sunday begins four hours later, at 10:00.
        Assert.Equal(Local("2026-11-22 10:00"), plan.WindowOf(new(2026, 11, 22)).Start);
    }

    [Fact]
    public void Nobody_is_absent_before_they_were_created()
    {
        var now = Local("2026-11-24 08:00");

        var days = DaySummaries.Compute([], new(2026, 11, 16), new(2026, 11, 18), now, Plan(created: "2026-11-17 15:00"));

        Assert.Equal([17, 18], days.Select(d => d.Date.Day));
        Assert.Equal(["absent", "absent"], days.Select(d => d.Status));
    }

    private static DayPlan Plan(string created) => DayPlan.Scheduled(Office, Holidays, Office.DayOf(Local(created)));

    private static void AssertDay(DaySummary day, string? status, int scheduled, int worked, int late, int early, int overtime) =>
        Assert.Equal(
            (status, scheduled, worked, late, early, overtime),
            (day.Status, day.ScheduledMinutes, day.WorkedMinutes, day.LateMinutes, day.EarlyLeaveMinutes, day.OvertimeMinutes));

    private static List<PunchResponse> Punches(params (string Local, string Action)[] punches) =>
        punches.Select((p, i) => new PunchResponse(i + 1, 1, p.Action, Local(p.Local), "punch")).ToList();

    /// <summary>A Berlin wall-clock time as UTC.</summary>
    private static DateTime Local(string text) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), Berlin);
}
