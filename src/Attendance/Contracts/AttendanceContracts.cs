using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Attendance.Contracts;

public sealed record PunchRequest(
    [property: Required(ErrorMessage = "action is required: \"in\" or \"out\".")] string Action,
    DateTime? Timestamp = null);

public sealed record PunchResponse(long Id, int EmployeeId, string Action, DateTime Timestamp);

public sealed record DaySummary(DateOnly Date, DateTime? FirstIn, DateTime? LastOut, int WorkedMinutes, bool Open);

public sealed record PresenceEntry(int EmployeeId, string Username, DateTime Since);

public sealed record CalendarInfo(string TimeZone, DateOnly Today);
