using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>What became of a punch.</summary>
public abstract record PunchOutcome
{
    public sealed record Created(PunchResponse Record) : PunchOutcome;

    /// <summary>The Idempotency-Key was seen before: the first record, nothing written.</summary>
    public sealed record Replayed(PunchResponse Record) : PunchOutcome;

    /// <summary>A rule said no (the database's words).</summary>
    public sealed record Refused(string Reason, bool Forbidden) : PunchOutcome;
}

/// <summary>Reads and writes attendance records. The punch rules themselves live in the database trigger.</summary>
public sealed class PunchStore(NpgsqlDataSource dataSource, AttendanceDbContext db)
{
    private const string InsertSql = """
        INSERT INTO attendance_records (employee_id, action, timestamp, idempotency_key, source)
        VALUES ($1, $2, $3, $4, 'rest') -- no time given: the trigger stamps it once the employee is locked
        RETURNING id, employee_id, action, timestamp
        """;

    private const string ReplaySql = """
        SELECT id, employee_id, action, timestamp FROM attendance_records
        WHERE employee_id = $1 AND idempotency_key = $2
        """;

    public async Task<PunchOutcome> PunchAsync(
        int employeeId, string action, DateTime? timestamp, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var insert = new NpgsqlCommand(InsertSql, connection)
            {
                Parameters =
                {
                    new() { Value = employeeId },
                    new() { Value = action },
                    new() { Value = (object?)timestamp ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new() { Value = (object?)idempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                },
            };
            if (await ReadOneAsync(insert, cancellationToken) is { } created)
            {
                return new PunchOutcome.Created(created);
            }
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("AT", StringComparison.Ordinal))
        {
            return new PunchOutcome.Refused(ex.MessageText, Forbidden: ex.SqlState == "AT005");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return new PunchOutcome.Refused("This account no longer exists.", Forbidden: true);
        }

        // The trigger skipped the insert: this key was used before. Answer with that record.
        await using var replay = new NpgsqlCommand(ReplaySql, connection)
        {
            Parameters = { new() { Value = employeeId }, new() { Value = idempotencyKey! } },
        };
        var first = await ReadOneAsync(replay, cancellationToken)
            ?? throw new InvalidOperationException("A punch was skipped without an earlier record for its key.");
        return new PunchOutcome.Replayed(first);
    }

    private static async Task<PunchResponse?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PunchResponse(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetDateTime(3))
            : null;
    }

    public Task<bool> EmployeeExistsAsync(int employeeId, CancellationToken cancellationToken) =>
        db.Employees.AnyAsync(e => e.Id == employeeId, cancellationToken);

    /// <summary>Records in [from, to), newest first.</summary>
    public Task<List<PunchResponse>> BetweenNewestFirstAsync(int employeeId, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        db.AttendanceRecords.AsNoTracking()
            .Where(r => r.EmployeeId == employeeId && r.Timestamp >= from && r.Timestamp < to)
            .OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id)
            .Select(r => new PunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp))
            .ToListAsync(cancellationToken);

    /// <summary>Records in [from, to) oldest first, preceded by the last one before <paramref name="from"/> (it tells whether the period starts checked in).</summary>
    public async Task<List<PunchResponse>> ForSummaryAsync(int employeeId, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var before = await db.AttendanceRecords.AsNoTracking()
            .Where(r => r.EmployeeId == employeeId && r.Timestamp < from)
            .OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id)
            .Select(r => new PunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp))
            .FirstOrDefaultAsync(cancellationToken);
        var within = await db.AttendanceRecords.AsNoTracking()
            .Where(r => r.EmployeeId == employeeId && r.Timestamp >= from && r.Timestamp < to)
            .OrderBy(r => r.Timestamp).ThenBy(r => r.Id)
            .Select(r => new PunchResponse(r.Id, r.EmployeeId, r.Action, r.Timestamp))
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
    public async IAsyncEnumerable<(AttendanceRecord Record, string Username)> ExportAsync(
        DateTime from, DateTime to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = db.AttendanceRecords.AsNoTracking()
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
