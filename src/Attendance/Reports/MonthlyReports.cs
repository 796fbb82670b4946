using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Attendance.Schedules;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Reports;

/// <summary>
/// The monthly report: per person, the month's days judged against their schedule (present, late,
/// absent; worked, late, early-leave and overtime minutes), open days and corrections, from the
/// effective timeline. A person without a schedule is not judged: late, absent and overtime are 0.
/// Read from <see cref="AttendanceReadDbContext"/>: a hot standby when one is configured.
/// </summary>
public sealed class MonthlyReports(AttendanceReadDbContext db, AttendanceQueries queries, DayPlans plans, BusinessCalendar calendar)
{
    /// <param name="ids">Whose rows (null: everyone), the caller's scope.</param>
    /// <param name="teamId">Only this team's members, when given.</param>
    public async Task<MonthlyReportResponse> BuildAsync(
        CalendarMonth month, IReadOnlyCollection<int>? ids, int? teamId, CancellationToken cancellationToken)
    {
        var book = await plans.BookAsync(month.From, month.To, scheduleIds: null, cancellationToken);
        var (start, end) = book.SpanOf(month.From, month.To);

        // Everyone active, and anyone with records in the month (a person deactivated since still counts).
        var people = await db.Employees.AsNoTracking()
            .Where(e => ids == null || ids.Contains(e.Id))
            .Where(e => teamId == null || e.TeamId == teamId)
            .Where(e => e.Active || db.EffectiveRecords.Any(r => r.EmployeeId == e.Id && r.Timestamp >= start && r.Timestamp < end))
            .OrderBy(e => e.Username)
            .Select(e => new
            {
                e.Id, e.Username, e.FullName, e.ScheduleId, e.CreatedAt,
                Team = db.Teams.Where(t => t.Id == e.TeamId).Select(t => t.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        var punchesOf = await queries.ForSummariesAsync(start, end, employeeId: null, cancellationToken);

        var corrections = await db.Corrections.AsNoTracking()
            .Where(c => c.Status == CorrectionStatuses.Approved || c.Status == CorrectionStatuses.Applied)
            .Where(c => (c.Timestamp >= start && c.Timestamp < end)
                || db.Punches.Any(r => r.Id == c.RecordId && r.Timestamp >= start && r.Timestamp < end))
            .GroupBy(c => c.EmployeeId)
            .Select(g => new { EmployeeId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.EmployeeId, c => c.Count, cancellationToken);

        var now = calendar.UtcNow;
        var rows = people.ConvertAll(person =>
        {
            var days = DaySummaries.Compute(punchesOf[person.Id].ToList(), month.From, month.To, now, book.For(person.ScheduleId, person.CreatedAt));
            return new MonthlyReportRow(
                person.Id, person.Username, person.FullName, person.Team,
                DaysPresent: days.Count(d => d.FirstIn is not null || d.WorkedMinutes > 0),
                DaysLate: days.Count(d => d.LateMinutes > 0),
                DaysAbsent: days.Count(d => d.Status == DayStatuses.Absent),
                WorkedMinutes: days.Sum(d => d.WorkedMinutes),
                LateMinutes: days.Sum(d => d.LateMinutes),
                EarlyLeaveMinutes: days.Sum(d => d.EarlyLeaveMinutes),
                OvertimeMinutes: days.Sum(d => d.OvertimeMinutes),
                OpenDays: days.Count(d => d.Open),
                Corrections: corrections.GetValueOrDefault(person.Id));
        });

        return new MonthlyReportResponse(month.Name, month.Calendar, month.From, month.To, rows);
    }
}
