using System.Linq.Expressions;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>Reads attendance back through EF Core: a day's records, what a summary needs, presence, export.</summary>
public sealed class AttendanceQueries(AttendanceDbContext db)
{
    /// <summary>A stored punch as the REST API shows it: the one mapping, translated to SQL by EF.</summary>
    private static readonly Expression<Func<Punch, PunchResponse>> AsResponse =
        r => new PunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp);

    public Task<bool> EmployeeExistsAsync(int employeeId, CancellationToken cancellationToken) =>
        db.Employees.AnyAsync(e => e.Id == employeeId, cancellationToken);

    /// <summary>Records in [from, to), newest first.</summary>
    public Task<List<PunchResponse>> BetweenNewestFirstAsync(int employeeId, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        db.Punches.AsNoTracking()
            .Where(r => r.EmployeeId == employeeId && r.Timestamp >= from && r.Timestamp < to)
            .OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id)
            .Select(AsResponse)
            .ToListAsync(cancellationToken);

    /// <summary>Records in [from, to) oldest first, preceded by the last one before <paramref name="from"/> (it tells whether the period starts checked in).</summary>
    public async Task<List<PunchResponse>> ForSummaryAsync(int employeeId, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var before = await db.Punches.AsNoTracking()
            .Where(r => r.EmployeeId == employeeId && r.Timestamp < from)
            .OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id)
            .Select(AsResponse)
            .FirstOrDefaultAsync(cancellationToken);
        var within = await db.Punches.AsNoTracking()
            .Where(r => r.EmployeeId == employeeId && r.Timestamp >= from && r.Timestamp < to)
            .OrderBy(r => r.Timestamp).ThenBy(r => r.Id)
            .Select(AsResponse)
            .ToListAsync(cancellationToken);
        if (before is not null)
        {
            within.Insert(0, before);
        }

        return within;
    }

    public Task<List<PresenceEntry>> PresentAsync(CancellationToken cancellationToken) =>
        db.Employees.AsNoTracking()
            .Where(e => e.Active && e.LastAction == PunchActions.In)
            .OrderBy(e => e.Username)
            .Select(e => new PresenceEntry(e.Id, e.Username, e.LastPunchAt!.Value))
            .ToListAsync(cancellationToken);

    /// <summary>Every record in [from, to) with its employee's name, oldest first, streamed.</summary>
    public async IAsyncEnumerable<(Punch Record, string Username)> ExportAsync(
        DateTime from, DateTime to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = db.Punches.AsNoTracking()
            .Where(r => r.Timestamp >= from && r.Timestamp < to)
            .OrderBy(r => r.Timestamp).ThenBy(r => r.Id)
            .Select(r => new { Record = r, r.Employee!.Username })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return (row.Record, row.Username);
        }
    }
}
