using System.Globalization;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Reports;

/// <summary>A month as a report asks for it: its name, the calendar it is named in, and its Gregorian days.</summary>
public readonly record struct ReportMonth(string Name, string Calendar, DateOnly From, DateOnly To)
{
    public const string Gregorian = "gregorian";
    public const string Persian = "persian";

    private static readonly PersianCalendar PersianDays = new();

    /// <summary>
    /// YYYY-MM in the given calendar: Gregorian 2000–2100, or Solar Hijri 1379–1479
    /// (<c>1405-09</c> is Azar 1405, 2026-11-22 to 2026-12-21).
    /// </summary>
    public static bool TryParse(string? month, string calendar, out ReportMonth parsed)
    {
        parsed = default;
        if (month is not { Length: 7 } || month[4] != '-'
            || !int.TryParse(month.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(month.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > 12)
        {
            return false;
        }

        if (calendar == Persian)
        {
            if (year is < 1379 or > 1479)
            {
                return false;
            }

            var first = DateOnly.FromDateTime(PersianDays.ToDateTime(year, number, 1, 0, 0, 0, 0));
            var next = number == 12
                ? DateOnly.FromDateTime(PersianDays.ToDateTime(year + 1, 1, 1, 0, 0, 0, 0))
                : DateOnly.FromDateTime(PersianDays.ToDateTime(year, number + 1, 1, 0, 0, 0, 0));
            parsed = new ReportMonth(month, Persian, first, next.AddDays(-1));
            return true;
        }

        if (year is < 2000 or > 2100)
        {
            return false;
        }

        var start = new DateOnly(year, number, 1);
        parsed = new ReportMonth(month, Gregorian, start, start.AddMonths(1).AddDays(-1));
        return true;
    }
}

/// <summary>
/// The monthly report: per person, days present, worked minutes, open days and corrections over the
/// month's business days, from the effective timeline. The judged columns (late, absent, early
/// leave, overtime) compare with a schedule; a person without one is not judged, so they are 0.
/// </summary>
public sealed class MonthlyReports(AttendanceDbContext db, BusinessCalendar calendar)
{
    public async Task<MonthlyReportResponse> BuildAsync(ReportMonth month, CancellationToken cancellationToken)
    {
        var (start, end) = (calendar.StartOf(month.From), calendar.StartOf(month.To.AddDays(1)));

        // Everyone active, and anyone with records in the month (a person deactivated since still counts).
        var people = await db.Employees.AsNoTracking()
            .Where(e => e.Active || db.EffectiveRecords.Any(r => r.EmployeeId == e.Id && r.Timestamp >= start && r.Timestamp < end))
            .OrderBy(e => e.Username)
            .Select(e => new { e.Id, e.Username, e.FullName })
            .ToListAsync(cancellationToken);

        var within = await db.EffectiveRecords.AsNoTracking()
            .Where(r => r.Timestamp >= start && r.Timestamp < end)
            .OrderBy(r => r.Timestamp).ThenBy(r => r.Id)
            .Select(r => new PunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp, r.Source, false))
            .ToListAsync(cancellationToken);

        // The last record before the month tells who starts it checked in.
        var before = await db.EffectiveRecords.AsNoTracking()
            .Where(r => r.Timestamp < start)
            .GroupBy(r => r.EmployeeId)
            .Select(g => g.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id)
                .Select(r => new PunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp, r.Source, false)).First())
            .ToListAsync(cancellationToken);

        var corrections = await db.Corrections.AsNoTracking()
            .Where(c => c.Status == CorrectionStatuses.Approved || c.Status == CorrectionStatuses.Applied)
            .Where(c => (c.Timestamp >= start && c.Timestamp < end)
                || db.Punches.Any(r => r.Id == c.RecordId && r.Timestamp >= start && r.Timestamp < end))
            .GroupBy(c => c.EmployeeId)
            .Select(g => new { EmployeeId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.EmployeeId, c => c.Count, cancellationToken);

        var recordsOf = within.ToLookup(r => r.EmployeeId);
        var lastBefore = before.ToDictionary(r => r.EmployeeId);
        var rows = people.ConvertAll(person =>
        {
            var punches = recordsOf[person.Id].ToList();
            if (lastBefore.TryGetValue(person.Id, out var last))
            {
                punches.Insert(0, last);
            }

            var days = DaySummaries.Compute(punches, month.From, month.To, calendar);
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
