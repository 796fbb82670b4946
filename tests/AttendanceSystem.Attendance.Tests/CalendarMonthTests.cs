using System.Globalization;
using AttendanceSystem.Attendance.Punches;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>Every Solar Hijri month the API accepts maps to the Gregorian days PersianCalendar gives it, end to end without a gap.</summary>
public sealed class CalendarMonthTests
{
    private static readonly PersianCalendar Persian = new();

    [Fact]
    public void Every_solar_hijri_month_from_1379_to_1479_starts_on_its_first_day_ends_on_its_last_and_follows_the_one_before()
    {
        DateOnly? previousEnd = null;
        for (var year = 1379; year <= 1479; year++)
        {
            for (var number = 1; number <= 12; number++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{number:D2}");
                Assert.True(CalendarMonth.TryParse(name, CalendarMonth.Persian, out var month), name);

                var (first, last) = (month.From.ToDateTime(TimeOnly.MinValue), month.To.ToDateTime(TimeOnly.MinValue));
                Assert.Equal((year, number, 1), (Persian.GetYear(first), Persian.GetMonth(first), Persian.GetDayOfMonth(first)));
                Assert.Equal((year, number, Persian.GetDaysInMonth(year, number)), (Persian.GetYear(last), Persian.GetMonth(last), Persian.GetDayOfMonth(last)));
                Assert.Equal(number <= 6 ? 31 : number <= 11 ? 30 : Persian.IsLeapYear(year) ? 30 : 29, month.To.DayNumber - month.From.DayNumber + 1);
                if (previousEnd is { } end)
                {
                    Assert.Equal(end.AddDays(1), month.From);
                }

                previousEnd = month.To;
            }

            // Nowruz, 1 Farvardin, is the March equinox's day: the 20th or 21st of March in these years.
            Assert.True(CalendarMonth.TryParse(string.Create(CultureInfo.InvariantCulture, $"{year:D4}-01"), CalendarMonth.Persian, out var farvardin));
            Assert.Equal(3, farvardin.From.Month);
            Assert.InRange(farvardin.From.Day, 20, 21);
        }
    }

    [Theory]
    [InlineData("1378-12")]
    [InlineData("1480-01")]
    [InlineData("1405-13")]
    [InlineData("1405-00")]
    [InlineData("1405-9")]
    public void Months_outside_the_range_or_malformed_are_refused(string month) =>
        Assert.False(CalendarMonth.TryParse(month, CalendarMonth.Persian, out _));
}
