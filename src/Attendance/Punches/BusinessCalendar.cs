using System.Globalization;
using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>Business days in the configured time zone, and their bounds in UTC.</summary>
public sealed class BusinessCalendar(IOptions<AttendanceOptions> options, TimeProvider time)
{
    private static readonly DateOnly Earliest = new(2000, 1, 1);
    private static readonly DateOnly Latest = new(2100, 12, 31);
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.BusinessTimeZone);

    /// <summary>The IANA name of the zone business days are counted in.</summary>
    public string TimeZone => _zone.Id;

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public DateOnly Today => DayOf(UtcNow);

    public DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, _zone));

    /// <summary>The UTC instant a business day starts (midnight, or the first valid time after a DST gap).</summary>
    public DateTime StartOf(DateOnly day) => ToUtc(_zone, day, TimeOnly.MinValue);

    /// <summary>
    /// A local time of a day in a zone as UTC. A time skipped by a DST change moves forward to the
    /// first that exists (02:30 on a spring-forward night is 03:00); a repeated one is its first occurrence.
    /// </summary>
    public static DateTime ToUtc(TimeZoneInfo zone, DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // The gap is at most an hour or two in every zone; step to its end in minutes.
            local = local.AddMinutes(-local.Minute);
            while (zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(15);
            }
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return DateTime.SpecifyKind(local - offsets.Max(), DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>What a query value that is not such a day is told.</summary>
    public static ValidationProblem InvalidDay(string field) =>
        Problems.Invalid(field, $"{field} must be a day as YYYY-MM-DD (2000–2100).");

    /// <summary>Parses YYYY-MM-DD strictly (2000–2100); anything else is refused, not guessed.</summary>
    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
        && day >= Earliest && day <= Latest;
}
