using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Attendance.Schedules;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>Business days follow the configured IANA zone, not UTC.</summary>
public sealed class BusinessCalendarTests
{
    private static BusinessCalendar Calendar(string zone, DateTimeOffset now) =>
        new(Options.Create(new AttendanceOptions { BusinessTimeZone = zone }), new FixedClock(now));

    [Fact]
    public void A_day_in_tehran_starts_at_2030_utc_the_evening_before()
    {
        var calendar = Calendar("Asia/Tehran", DateTimeOffset.Parse("2026-11-23T21:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new DateOnly(2026, 11, 24), calendar.Today);
        Assert.Equal(new DateTime(2026, 11, 23, 20, 30, 0, DateTimeKind.Utc), calendar.StartOf(new DateOnly(2026, 11, 24)));
    }

    [Fact]
    public void A_day_that_loses_an_hour_to_daylight_saving_has_23_hours_of_work_room()
    {
        var calendar = Calendar("Europe/Berlin", DateTimeOffset.UtcNow);
        var day = new DateOnly(2026, 3, 29);

        Assert.Equal(TimeSpan.FromHours(23), calendar.StartOf(day.AddDays(1)) - calendar.StartOf(day));
    }

    [Fact]
    public void Work_across_midnight_counts_on_both_days_and_an_open_shift_counts_until_now()
    {
        var now = DateTimeOffset.Parse("2026-11-24T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var calendar = Calendar("UTC", now);
        var punches = new List<PunchResponse>
        {
            new(1, 1, "in", new DateTime(2026, 11, 22, 22, 0, 0, DateTimeKind.Utc), "punch"),
            new(2, 1, "out", new DateTime(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc), "punch"),
            new(3, 1, "in", new DateTime(2026, 11, 23, 23, 0, 0, DateTimeKind.Utc), "punch"),
        };

        var days = DaySummaries.Compute(punches, new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 24), calendar.UtcNow, DayPlan.Unscheduled(calendar));

        Assert.Equal([120, 120 + 60, 180], days.Select(d => d.WorkedMinutes));
        Assert.Equal([false, true, true], days.Select(d => d.Open));
        Assert.Equal(new DateTime(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc), days[1].LastOut);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
