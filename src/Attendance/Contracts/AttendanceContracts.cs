using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Attendance.Contracts;

public sealed record PunchRequest(
    [property: Required(ErrorMessage = "action is required: \"in\" or \"out\".")] string Action,
    DateTime? Timestamp = null,
    [property: StringLength(500, ErrorMessage = "reason may have at most 500 characters.")] string? Reason = null);

/// <summary>A record; <see cref="Voided"/> only ever true in a history asked for with include_voided.</summary>
public sealed record PunchResponse(long Id, int EmployeeId, string Action, DateTime Timestamp, string Source, bool Voided = false);

/// <summary><see cref="NeedsReview"/>: the day has a record the system made up (an automatic check-out).</summary>
public sealed record DaySummary(DateOnly Date, DateTime? FirstIn, DateTime? LastOut, int WorkedMinutes, bool Open, bool NeedsReview);

public sealed record PresenceEntry(int EmployeeId, string Username, DateTime Since);

public sealed record CalendarInfo(string TimeZone, DateOnly Today);
