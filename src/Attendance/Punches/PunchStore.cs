using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.Data.Rules;
using Npgsql;
using NpgsqlTypes;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>A punch to write. No <paramref name="Timestamp"/>: the database stamps it.</summary>
public sealed record NewPunch(int EmployeeId, string Action, DateTime? Timestamp = null, string? IdempotencyKey = null,
    string Source = PunchSources.Punch, int? KioskId = null);

/// <summary>What became of a punch.</summary>
public abstract record PunchOutcome
{
    public sealed record Created(PunchResponse Record) : PunchOutcome;

    /// <summary>The Idempotency-Key was seen before: the first record, nothing written.</summary>
    public sealed record Replayed(PunchResponse Record) : PunchOutcome;

    /// <summary>A rule said no, in the database's words.</summary>
    public sealed record Refused(PunchRule Rule, string Reason) : PunchOutcome;
}

/// <summary>
/// Writes punches, in plain SQL: the punch rules live in the database trigger
/// (<c>src/Data/Sql/punch_rules.v3.sql</c>), which decides, stamps and refuses inside the insert.
/// </summary>
public sealed class PunchStore(
    NpgsqlDataSource dataSource, [FromKeyedServices(Multiplexed.Key)] NpgsqlDataSource multiplexed, FeedDoorbell doorbell)
{
    private const string InsertSql = """
        INSERT INTO attendance_records (employee_id, action, timestamp, idempotency_key, source, kiosk_id)
        VALUES ($1, $2, $3, $4, $5, $6) -- no time given: the trigger stamps it once the employee is locked
        RETURNING id, employee_id, action, timestamp, source
        """;

    private const string ReplaySql = """
        SELECT id, employee_id, action, timestamp, source FROM attendance_records
        WHERE employee_id = $1 AND idempotency_key = $2
        """;

    /// <param name="audit">When the punch is audited (backdated, offline, at a kiosk): the event, written in the punch's transaction.</param>
    public async Task<PunchOutcome> PunchAsync(NewPunch punch, Func<PunchResponse, AuditEvent>? audit, CancellationToken cancellationToken)
    {
        // A plain punch is one statement in a transaction of its own: it travels multiplexed with the
        // punches of other requests. An audited one needs its audit row in the same transaction.
        if (audit is null)
        {
            await using var insert = multiplexed.CreateCommand(InsertSql);
            await using var replay = multiplexed.CreateCommand(ReplaySql);
            return await WriteAsync(punch, insert, replay, afterInsert: null, cancellationToken);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var auditedInsert = new NpgsqlCommand(InsertSql, connection, transaction);
        await using var auditedReplay = new NpgsqlCommand(ReplaySql, connection, transaction);
        return await WriteAsync(punch, auditedInsert, auditedReplay, async created =>
        {
            await AuditLog.WriteAsync(connection, transaction, audit(created), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <param name="afterInsert">Runs once the record is inserted, before the doorbell: the audit row and the commit, when there is a transaction.</param>
    private async Task<PunchOutcome> WriteAsync(NewPunch punch, NpgsqlCommand insert, NpgsqlCommand replay,
        Func<PunchResponse, Task>? afterInsert, CancellationToken cancellationToken)
    {
        try
        {
            insert.Parameters.Add(new() { Value = punch.EmployeeId });
            insert.Parameters.Add(new() { Value = punch.Action });
            insert.Parameters.Add(new() { Value = (object?)punch.Timestamp ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new() { Value = (object?)punch.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = punch.Source });
            insert.Parameters.Add(new() { Value = (object?)punch.KioskId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            if (await ReadOneAsync(insert, cancellationToken) is { } created)
            {
                if (afterInsert is not null)
                {
                    await afterInsert(created);
                }

                doorbell.Ring();
                return new PunchOutcome.Created(created);
            }
        }
        catch (PostgresException ex) when (PunchRule.FromSqlState(ex.SqlState) is { } rule)
        {
            return new PunchOutcome.Refused(rule, ex.MessageText);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return new PunchOutcome.Refused(PunchRule.AccountDeactivated, "This account no longer exists.");
        }

        // The trigger skipped the insert: this key was used before. Answer with that record.
        replay.Parameters.Add(new() { Value = punch.EmployeeId });
        replay.Parameters.Add(new() { Value = punch.IdempotencyKey! });
        var first = await ReadOneAsync(replay, cancellationToken)
            ?? throw new InvalidOperationException("A punch was skipped without an earlier record for its key.");
        return new PunchOutcome.Replayed(first);
    }

    private static async Task<PunchResponse?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PunchResponse(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetDateTime(3), reader.GetString(4))
            : null;
    }
}
