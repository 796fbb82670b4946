using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Attendance.Contracts;

/// <param name="Source">"punch" (the default) or "offline": captured on a device without a connection at <paramref name="Timestamp"/>, sent later.</param>
public sealed record PunchRequest(
    [property: Required(ErrorMessage = "action is required: \"in\" or \"out\".")] string Action,
    DateTime? Timestamp = null,
    [property: StringLength(500, ErrorMessage = "reason may have at most 500 characters.")] string? Reason = null,
    string? Source = null);

/// <summary>A record; <see cref="Voided"/> only ever true in a history asked for with include_voided.</summary>
public sealed record PunchResponse(long Id, int EmployeeId, string Action, DateTime Timestamp, string Source, bool Voided = false);

/// <summary>
/// One business day of one person. <see cref="NeedsReview"/>: the day has a record nobody punched
/// live (an automatic check-out, an offline punch). The judged fields compare with their schedule (0 and a status of
/// open/present or null when they have none): status is present | late | absent | day_off | holiday |
/// open, or null for a workday whose shift has not begun yet.
/// </summary>
public sealed record DaySummary(
    DateOnly Date, DateTime? FirstIn, DateTime? LastOut, int WorkedMinutes, bool Open, bool NeedsReview,
    int ScheduledMinutes, int LateMinutes, int EarlyLeaveMinutes, int OvertimeMinutes, string? Status);

public sealed record PresenceEntry(int EmployeeId, string Username, DateTime Since);

public sealed record CalendarInfo(string TimeZone, DateOnly Today);
