namespace AttendanceSystem.Attendance.Contracts;

/// <summary>A closed month: YYYY-MM, its bounds in UTC, who closed it and when.</summary>
public sealed record PeriodResponse(string Month, DateTime From, DateTime To, int ClosedBy, DateTime ClosedAt);

/// <summary><c>GET /reports/monthly</c>: the month as asked (and in which calendar), its Gregorian days, a row per person.</summary>
public sealed record MonthlyReportResponse(string Month, string Calendar, DateOnly From, DateOnly To, List<MonthlyReportRow> Rows);

public sealed record MonthlyReportRow(
    int EmployeeId, string Username, string? FullName, string? Team,
    int DaysPresent, int DaysLate, int DaysAbsent, int WorkedMinutes, int LateMinutes, int EarlyLeaveMinutes,
    int OvertimeMinutes, int OpenDays, int Corrections);
