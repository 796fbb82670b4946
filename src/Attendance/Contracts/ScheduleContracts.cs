namespace AttendanceSystem.Attendance.Contracts;

/// <summary>A shift's local start and end as HH:mm.</summary>
public sealed record ShiftTimes(string? Start, string? End);

/// <summary><c>POST /schedules</c> and <c>PUT /schedules/{id}</c>: the whole schedule.</summary>
public sealed record ScheduleRequest(string? Name, string? TimeZone, int? GraceMinutes, Dictionary<string, ShiftTimes?>? Days);

/// <summary>A schedule, with how many people follow it.</summary>
public sealed record ScheduleResponse(
    int Id, string Name, string TimeZone, int GraceMinutes, Dictionary<string, ShiftTimes?> Days, int AssignedCount);

/// <summary><c>POST /holidays</c>.</summary>
public sealed record HolidayRequest(string? Date, string? Name);

public sealed record HolidayResponse(DateOnly Date, string Name);
