using System.Globalization;
using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>A month as people name it (YYYY-MM, Gregorian or Solar Hijri), and its Gregorian days: what reports and closed periods take.</summary>
public readonly record struct CalendarMonth(string Name, string Calendar, DateOnly From, DateOnly To)
{
    public const string Gregorian = "gregorian";
    public const string Persian = "persian";

    private static readonly PersianCalendar PersianDays = new();

    /// <summary>
    /// YYYY-MM in the given calendar: Gregorian 2000–2100, or Solar Hijri 1379–1479
    /// (<c>1405-09</c> is Azar 1405, 2026-11-22 to 2026-12-21).
    /// </summary>
    public static bool TryParse(string? month, string calendar, out CalendarMonth parsed)
    {
        parsed = default;
        if (month is not { Length: 7 } || month[4] != '-'
            || !int.TryParse(month.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(month.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > 12)
        {
            return false;
        }

        if (calendar == Persian)
        {
            if (year is < 1379 or > 1479)
            {
                return false;
            }

            var first = DateOnly.FromDateTime(PersianDays.ToDateTime(year, number, 1, 0, 0, 0, 0));
            var next = number == 12
                ? DateOnly.FromDateTime(PersianDays.ToDateTime(year + 1, 1, 1, 0, 0, 0, 0))
                : DateOnly.FromDateTime(PersianDays.ToDateTime(year, number + 1, 1, 0, 0, 0, 0));
            parsed = new CalendarMonth(month, Persian, first, next.AddDays(-1));
            return true;
        }

        if (year is < 2000 or > 2100)
        {
            return false;
        }

        var start = new DateOnly(year, number, 1);
        parsed = new CalendarMonth(month, Gregorian, start, start.AddMonths(1).AddDays(-1));
        return true;
    }

    /// <summary>What a month that does not parse is told, in the calendar it was meant in.</summary>
    public static ValidationProblem Invalid(string calendar) => Problems.Invalid("month", calendar == Persian
        ? "month must be a Solar Hijri YYYY-MM between 1379 and 1479 (1405-09 is Azar 1405)."
        : "month must be YYYY-MM between 2000 and 2100.");
}
