using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Reports;

/// <summary>
/// The monthly report: per person, days present, worked minutes, open days and corrections over the
/// month's business days, from the effective timeline. The judged columns (late, absent, early
/// leave, overtime) compare with a schedule; a person without one is not judged, so they are 0.
/// </summary>
public sealed class MonthlyReports(AttendanceDbContext db, AttendanceQueries queries, BusinessCalendar calendar)
{
    public async Task<MonthlyReportResponse> BuildAsync(CalendarMonth month, CancellationToken cancellationToken)
    {
        var (start, end) = (calendar.StartOf(month.From), calendar.StartOf(month.To.AddDays(1)));

        // Everyone active, and anyone with records in the month (a person deactivated since still counts).
        var people = await db.Employees.AsNoTracking()
            .Where(e => e.Active || db.EffectiveRecords.Any(r => r.EmployeeId == e.Id && r.Timestamp >= start && r.Timestamp < end))
            .OrderBy(e => e.Username)
            .Select(e => new { e.Id, e.Username, e.FullName })
            .ToListAsync(cancellationToken);

        var punchesOf = await queries.ForSummariesAsync(start, end, employeeId: null, cancellationToken);

        var corrections = await db.Corrections.AsNoTracking()
            .Where(c => c.Status == CorrectionStatuses.Approved || c.Status == CorrectionStatuses.Applied)
            .Where(c => (c.Timestamp >= start && c.Timestamp < end)
                || db.Punches.Any(r => r.Id == c.RecordId && r.Timestamp >= start && r.Timestamp < end))
            .GroupBy(c => c.EmployeeId)
            .Select(g => new { EmployeeId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.EmployeeId, c => c.Count, cancellationToken);

        var rows = people.ConvertAll(person =>
        {
            var days = DaySummaries.Compute(punchesOf[person.Id].ToList(), month.From, month.To, calendar);
            return new MonthlyReportRow(
                person.Id, person.Username, person.FullName, Team: null,
                DaysPresent: days.Count(d => d.WorkedMinutes > 0 || d.FirstIn is not null),
                DaysLate: 0, DaysAbsent: 0,
                WorkedMinutes: days.Sum(d => d.WorkedMinutes),
                LateMinutes: 0, EarlyLeaveMinutes: 0, OvertimeMinutes: 0,
                OpenDays: days.Count(d => d.Open),
                Corrections: corrections.GetValueOrDefault(person.Id));
        });

        return new MonthlyReportResponse(month.Name, month.Calendar, month.From, month.To, rows);
    }
}
