namespace AttendanceSystem.Data.Entities;

/// <summary>
/// A working week in a time zone: per weekday a shift (start and end as local HH:mm; an end at or
/// before the start is a night shift that ends the next day), and the minutes of lateness forgiven.
/// </summary>
public sealed class Schedule
{
    public int Id { get; set; }

    /// <summary>Unique case-insensitively, 1–100 characters.</summary>
    public required string Name { get; set; }

    /// <summary>An IANA zone name, e.g. Asia/Tehran: the schedule's people have their business days there.</summary>
    public required string TimeZone { get; set; }

    public int GraceMinutes { get; set; }

    /// <summary>The shifts as JSON, <c>{"sat":{"start":"08:00","end":"16:00"}}</c> (a <c>jsonb</c> column); a weekday left out is a day off.</summary>
    public required string Days { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>Limits shared by the columns and the API's validation.</summary>
public static class ScheduleRules
{
    public const int MaxName = 100;
    public const int MaxGraceMinutes = 240;
    public const int MaxZone = 64;
}
