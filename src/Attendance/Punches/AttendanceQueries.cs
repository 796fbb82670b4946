using System.Linq.Expressions;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>
/// Reads attendance back through EF Core: a day's records, what a summary needs, presence, export.
/// Past days, summaries and exports come from <paramref name="reads"/> (a hot standby when one is
/// configured); today's records, presence and existence checks from the primary, which has every
/// write the moment it commits.
/// </summary>
public sealed class AttendanceQueries(AttendanceDbContext db, AttendanceReadDbContext reads, BusinessCalendar calendar)
{
    /// <summary>A record of the effective timeline as the REST API shows it: the one mapping, translated to SQL by EF.</summary>
    private static readonly Expression<Func<Punch, PunchResponse>> AsResponse =
        r => new PunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp, r.Source, false);

    /// <summary>The same mapping, for rows EF has already read.</summary>
    private static readonly Func<Punch, PunchResponse> ToResponse = AsResponse.Compile();

    public Task<bool> EmployeeExistsAsync(int employeeId, CancellationToken cancellationToken) =>
        db.Employees.AnyAsync(e => e.Id == employeeId, cancellationToken);

    /// <summary>Records in [from, to), newest first; with <paramref name="includeVoided"/>, voided ones too (marked).</summary>
    public Task<List<PunchResponse>> BetweenNewestFirstAsync(
        int employeeId, DateTime from, DateTime to, bool includeVoided, CancellationToken cancellationToken)
    {
        // A day that ended before today began is settled: a standby may answer. Today's day is read
        // where the punch was just written.
        var source = to <= calendar.StartOf(calendar.Today) ? reads : db;
        var records = includeVoided
            ? source.Punches.Where(r => r.Kind == PunchKinds.Record)
                .Select(r => new { Record = r, Voided = source.Punches.Any(v => v.VoidsRecordId == r.Id) })
            : source.EffectiveRecords.Select(r => new { Record = r, Voided = false });
        return records.AsNoTracking()
            .Where(x => x.Record.EmployeeId == employeeId && x.Record.Timestamp >= from && x.Record.Timestamp < to)
            .OrderByDescending(x => x.Record.Timestamp).ThenByDescending(x => x.Record.Id)
            .Select(x => new PunchResponse(x.Record.Id, x.Record.EmployeeId, x.Record.Action, x.Record.Timestamp, x.Record.Source, x.Voided))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Records in [from, to) oldest first, preceded by the last one before <paramref name="from"/> (it tells whether the period starts checked in).</summary>
    public async Task<List<PunchResponse>> ForSummaryAsync(int employeeId, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        (await ForSummariesAsync(from, to, employeeId, cancellationToken))[employeeId].ToList();

    /// <summary>
    /// <see cref="ForSummaryAsync"/> for one employee or (null) everyone at once, grouped by employee:
    /// what a summary or a monthly report counts, in two queries however many people.
    /// </summary>
    public async Task<ILookup<int, PunchResponse>> ForSummariesAsync(DateTime from, DateTime to, int? employeeId, CancellationToken cancellationToken)
    {
        var records = reads.EffectiveRecords;
        if (employeeId is { } one)
        {
            records = records.Where(r => r.EmployeeId == one);
        }

        // The last record before the period, per employee; for one employee a plain newest-first LIMIT 1,
        // which the (employee_id, timestamp) index answers without reading the rest of their history.
        var earlier = records.Where(r => r.Timestamp < from);
        var before = await (employeeId is null
                ? earlier.GroupBy(r => r.EmployeeId).Select(g => g.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id).First())
                : earlier.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id).Take(1))
            .ToListAsync(cancellationToken);
        var within = await records
            .Where(r => r.Timestamp >= from && r.Timestamp < to)
            .OrderBy(r => r.Timestamp).ThenBy(r => r.Id)
            .Select(AsResponse)
            .ToListAsync(cancellationToken);
        return before.Select(ToResponse).Concat(within).ToLookup(r => r.EmployeeId);
    }

    /// <param name="ids">Whose presence to tell; null for everyone.</param>
    public Task<List<PresenceEntry>> PresentAsync(IReadOnlyCollection<int>? ids, CancellationToken cancellationToken) =>
        db.Employees.AsNoTracking()
            .Where(e => e.Active && e.LastAction == PunchActions.In && (ids == null || ids.Contains(e.Id)))
            .OrderBy(e => e.Username)
            .Select(e => new PresenceEntry(e.Id, e.Username, e.LastPunchAt!.Value))
            .ToListAsync(cancellationToken);

    /// <summary>Every effective record in [from, to) of <paramref name="ids"/> (null: everyone) with its employee's name, oldest first, streamed.</summary>
    public async IAsyncEnumerable<(Punch Record, string Username)> ExportAsync(
        DateTime from, DateTime to, IReadOnlyCollection<int>? ids, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = reads.EffectiveRecords
            .Where(r => r.Timestamp >= from && r.Timestamp < to && (ids == null || ids.Contains(r.EmployeeId)))
            .OrderBy(r => r.Timestamp).ThenBy(r => r.Id)
            .Select(r => new { Record = r, r.Employee!.Username })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return (row.Record, row.Username);
        }
    }
}
