using System.Globalization;
using System.Text.Json;
using AttendanceSystem.Attendance.Contracts;

namespace AttendanceSystem.Attendance.Schedules;

/// <summary>One weekday's shift in local time; an end at or before the start is a night shift ending the next day.</summary>
public readonly record struct Shift(TimeOnly Start, TimeOnly End)
{
    public bool IsNight => End <= Start;

    public int Minutes => (int)(IsNight ? TimeSpan.FromDays(1) - (Start - End) : End - Start).TotalMinutes;
}

/// <summary>
/// A week of shifts keyed by weekday, and the one parser of the <c>days</c> object the API takes and
/// the <c>schedules.days</c> column stores: <c>{"sat":{"start":"08:00","end":"16:00"}}</c>.
/// </summary>
public static class WorkWeek
{
    /// <summary>The keys of <c>days</c>, in the order the page lists them.</summary>
    public static readonly IReadOnlyList<(string Key, DayOfWeek Day)> Days =
    [
        ("sat", DayOfWeek.Saturday), ("sun", DayOfWeek.Sunday), ("mon", DayOfWeek.Monday), ("tue", DayOfWeek.Tuesday),
        ("wed", DayOfWeek.Wednesday), ("thu", DayOfWeek.Thursday), ("fri", DayOfWeek.Friday),
    ];

    /// <summary>Validates the API's days: keys mon..sun, times HH:mm (00:00–23:59), start ≠ end.</summary>
    /// <returns>The week, or null with <paramref name="error"/> saying which day and what is wrong.</returns>
    public static Dictionary<DayOfWeek, Shift>? TryParse(IReadOnlyDictionary<string, ShiftTimes?>? days, out string? error)
    {
        error = null;
        var week = new Dictionary<DayOfWeek, Shift>();
        foreach (var (key, times) in days ?? new Dictionary<string, ShiftTimes?>())
        {
            var name = key.ToLowerInvariant();
            var day = Days.FirstOrDefault(d => d.Key == name);
            if (day.Key is null)
            {
                error = $"'{key}' is not a weekday: days are keyed sat, sun, mon, tue, wed, thu, fri.";
                return null;
            }

            if (week.ContainsKey(day.Day))
            {
                error = $"{day.Key} is given twice.";
                return null;
            }

            if (times is null || !TryTime(times.Start, out var start) || !TryTime(times.End, out var end))
            {
                error = $"{day.Key} needs start and end as HH:mm, 00:00 to 23:59 (an end at or before the start is a night shift).";
                return null;
            }

            if (start == end)
            {
                error = $"{day.Key} starts and ends at {times.Start}: a shift needs a length (leave the day out for a day off).";
                return null;
            }

            week[day.Day] = new Shift(start, end);
        }

        return week;
    }

    /// <summary>The stored JSON (written by <see cref="ToJson"/>) back into a week.</summary>
    public static Dictionary<DayOfWeek, Shift> FromJson(string json) =>
        TryParse(JsonSerializer.Deserialize<Dictionary<string, ShiftTimes?>>(json, Json), out var error)
            ?? throw new InvalidDataException($"A stored schedule's days are invalid: {error}");

    public static string ToJson(IReadOnlyDictionary<DayOfWeek, Shift> week) =>
        JsonSerializer.Serialize(ToTimes(week), Json);

    /// <summary>The week as the API shows it, in the page's order (Saturday first).</summary>
    public static Dictionary<string, ShiftTimes?> ToTimes(IReadOnlyDictionary<DayOfWeek, Shift> week) =>
        Days.Where(d => week.ContainsKey(d.Day))
            .ToDictionary(d => d.Key, d => (ShiftTimes?)new ShiftTimes(Format(week[d.Day].Start), Format(week[d.Day].End)));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
