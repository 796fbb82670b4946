using System.Globalization;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Attendance.Notifications;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.Data.Rules;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Npgsql;
using NpgsqlTypes;

namespace AttendanceSystem.Attendance.Corrections;

/// <summary>What became of a filing or a decision.</summary>
public abstract record CorrectionOutcome
{
    public sealed record Done(CorrectionResponse Correction) : CorrectionOutcome;

    /// <summary>The same Idempotency-Key was filed before: that correction, nothing written.</summary>
    public sealed record Replayed(CorrectionResponse Correction) : CorrectionOutcome;

    /// <summary>Refused, in words that name what is wrong (a rule of the effective timeline names the record).</summary>
    public sealed record Refused(RuleRefusal Refusal, string Detail) : CorrectionOutcome;
}

/// <summary>A correction to file, already validated for shape (reason, kind, time range).</summary>
public sealed record Filing(
    int EmployeeId, string Kind, string? Action, DateTime? Timestamp, long? RecordId, string Reason, int RequestedBy,
    bool Apply = false, string? IdempotencyKey = null, bool Backdated = false);

/// <summary>
/// Files and decides corrections. Each step is one transaction: the correction row, the record-log
/// row that applies it (checked by the database's rules on the effective timeline), the audit row
/// and the notifications commit together or not at all. A decision locks its correction first, so
/// of two approvers deciding at once the second finds it decided.
/// </summary>
public sealed class CorrectionStore(NpgsqlDataSource dataSource, FeedDoorbell doorbell)
{
    private const string Columns =
        "id, employee_id, kind, action, timestamp, record_id, reason, status, requested_by, requested_at, decided_by, decided_at, note";

    public async Task<CorrectionOutcome> FileAsync(Filing filing, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var refused = filing.RecordId is { } recordId
            ? await CheckVoidTargetAsync(connection, transaction, filing.EmployeeId, recordId, cancellationToken)
            : await CheckAddTimeAsync(connection, transaction, filing.Timestamp!.Value, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var correction = await InsertAsync(connection, transaction, filing, cancellationToken);
        if (correction is null)
        {
            // ON CONFLICT skipped it: this Idempotency-Key was filed before.
            return new CorrectionOutcome.Replayed((await ReadAsync(connection, transaction,
                "WHERE employee_id = $1 AND idempotency_key = $2", [filing.EmployeeId, filing.IdempotencyKey!], cancellationToken))!);
        }

        var what = await DescribeAsync(connection, transaction, correction, cancellationToken);
        await AuditLog.WriteAsync(connection, transaction, new AuditEvent(filing.RequestedBy,
            filing.Backdated ? AuditActions.PunchBackdated : AuditActions.CorrectionRequested, filing.EmployeeId, Details(correction)), cancellationToken);

        if (filing.Apply)
        {
            var (appliedId, rule) = await ApplyAsync(connection, transaction, correction, cancellationToken);
            if (rule is not null)
            {
                return rule;
            }

            correction = await MarkDecidedAsync(connection, transaction, correction.Id, CorrectionStatuses.Applied, filing.RequestedBy, null, appliedId, cancellationToken);
            await AuditLog.WriteAsync(connection, transaction, new AuditEvent(filing.RequestedBy, AuditActions.CorrectionApplied,
                filing.EmployeeId, Details(correction) with { RecordWritten = appliedId }), cancellationToken);
            await Notifier.SendAsync(connection, transaction, [correction.EmployeeId], NotificationKinds.CorrectionDecided,
                $"{what.Requester} applied a correction to your attendance: {what.Change}. Reason: {correction.Reason}",
                correction.Id, cancellationToken);
        }
        else
        {
            var approvers = await Notifier.ApproversOfAsync(connection, transaction, correction.EmployeeId, cancellationToken);
            var whose = correction.EmployeeId == correction.RequestedBy ? "" : $" for {what.Employee}";
            await Notifier.SendAsync(connection, transaction, approvers.Where(a => a != filing.RequestedBy),
                NotificationKinds.CorrectionRequested,
                $"{what.Requester} asks to {what.Change}{whose}. Reason: {correction.Reason}", correction.Id, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (filing.Apply)
        {
            doorbell.Ring();
        }

        return new CorrectionOutcome.Done(correction);
    }

    public async Task<CorrectionOutcome> DecideAsync(long id, AccessScope decider, bool approve, string? note, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var correction = await ReadAsync(connection, transaction, "WHERE id = $1 FOR UPDATE", [id], cancellationToken);
        if (correction is null)
        {
            return new CorrectionOutcome.Refused(RuleRefusal.NotFound, $"There is no correction {id}.");
        }

        if (correction.RequestedBy == decider.EmployeeId)
        {
            return new CorrectionOutcome.Refused(RuleRefusal.Forbidden, "Nobody decides their own request: another approver must.");
        }

        if (!decider.Approves(correction.EmployeeId))
        {
            return new CorrectionOutcome.Refused(RuleRefusal.Forbidden, correction.EmployeeId == decider.EmployeeId
                ? "Corrections of your own attendance are decided by another approver."
                : $"Only an approver of employee {correction.EmployeeId} (their team's manager or an admin) may decide this correction.");
        }

        var what = await DescribeAsync(connection, transaction, correction, cancellationToken);
        if (correction.Status != CorrectionStatuses.Pending)
        {
            return new CorrectionOutcome.Refused(RuleRefusal.Conflict,
                $"Correction {id} was already {correction.Status} by {what.Decider} at {UtcTime.Format(correction.DecidedAt!.Value)}.");
        }

        long? appliedId = null;
        if (approve)
        {
            (appliedId, var rule) = await ApplyAsync(connection, transaction, correction, cancellationToken);
            if (rule is not null)
            {
                return rule;
            }
        }

        var status = approve ? CorrectionStatuses.Approved : CorrectionStatuses.Rejected;
        correction = await MarkDecidedAsync(connection, transaction, id, status, decider.EmployeeId, note, appliedId, cancellationToken);
        await AuditLog.WriteAsync(connection, transaction, new AuditEvent(decider.EmployeeId,
            approve ? AuditActions.CorrectionApproved : AuditActions.CorrectionRejected, correction.EmployeeId,
            Details(correction) with { RecordWritten = appliedId }), cancellationToken);

        var deciderName = await UsernameAsync(connection, transaction, decider.EmployeeId, cancellationToken);
        await Notifier.SendAsync(connection, transaction,
            new[] { correction.RequestedBy, correction.EmployeeId }.Where(r => r != decider.EmployeeId),
            NotificationKinds.CorrectionDecided,
            $"{deciderName} {status} the correction to {what.Change}{(string.IsNullOrEmpty(note) ? "" : $". Note: {note}")}",
            correction.Id, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        if (approve)
        {
            doorbell.Ring();
        }

        return new CorrectionOutcome.Done(correction);
    }

    /// <summary>Corrections whose employee is in <paramref name="scope"/>, newest first.</summary>
    public async Task<List<CorrectionResponse>> ListAsync(AccessScope scope, int employeeId, string? status, Page page, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var query = new NpgsqlCommand($"""
            SELECT {Columns} FROM corrections
            WHERE ($1::int[] IS NULL OR employee_id = ANY($1)) AND ($2 = 0 OR employee_id = $2) AND ($3::text IS NULL OR status = $3) AND ($4 = 0 OR id < $4)
            ORDER BY id DESC LIMIT $5
            """, connection)
        {
            Parameters =
            {
                new() { Value = (object?)scope.Ids?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                new() { Value = employeeId },
                new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = page.After },
                new() { Value = page.Limit },
            },
        };
        var list = new List<CorrectionResponse>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ToResponse(reader));
        }

        return list;
    }

    public async Task<CorrectionResponse?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, "WHERE id = $1", [id], cancellationToken);
    }

    /// <summary>A void must name a record of that employee that is not voided, nor already waiting for a void.</summary>
    private static async Task<CorrectionOutcome.Refused?> CheckVoidTargetAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int employeeId, long recordId, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand("""
            SELECT (SELECT v.correction_id FROM attendance_records v WHERE v.voids_record_id = r.id),
                   (SELECT c.id FROM corrections c WHERE c.record_id = r.id AND c.status = 'pending'),
                   to_char(attendance_closed_period(r.timestamp), 'YYYY-MM')
            FROM attendance_records r WHERE r.id = $1 AND r.employee_id = $2 AND r.kind = 'record'
            """, connection, transaction)
        {
            Parameters = { new() { Value = recordId }, new() { Value = employeeId } },
        };
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new CorrectionOutcome.Refused(RuleRefusal.NotFound, $"Employee {employeeId} has no record {recordId}.");
        }

        return !reader.IsDBNull(0)
            ? new CorrectionOutcome.Refused(RuleRefusal.Conflict, $"Record {recordId} is already voided (correction {reader.GetInt64(0)}).")
            : !reader.IsDBNull(1)
                ? new CorrectionOutcome.Refused(RuleRefusal.Conflict, $"Record {recordId} already has a pending void request (correction {reader.GetInt64(1)}).")
                : !reader.IsDBNull(2)
                    ? new CorrectionOutcome.Refused(RuleRefusal.Conflict, $"Record {recordId} is dated in {reader.GetString(2)}, a closed period: nothing dated in it changes.")
                    : null;
    }

    /// <summary>An add dated in a closed month is refused when filed, not only when approved.</summary>
    private static async Task<CorrectionOutcome.Refused?> CheckAddTimeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTime timestamp, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand("SELECT to_char(attendance_closed_period($1), 'YYYY-MM')", connection, transaction)
        {
            Parameters = { new() { Value = timestamp, NpgsqlDbType = NpgsqlDbType.TimestampTz } },
        };
        return await query.ExecuteScalarAsync(cancellationToken) is string closed
            ? new CorrectionOutcome.Refused(RuleRefusal.Conflict, $"The time {UtcTime.Format(timestamp)} is dated in {closed}, a closed period: nothing dated in it changes.")
            : null;
    }

    private static async Task<CorrectionResponse?> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Filing filing, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO corrections (employee_id, kind, action, timestamp, record_id, reason, requested_by, idempotency_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (employee_id, idempotency_key) DO NOTHING
            RETURNING {Columns}
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = filing.EmployeeId },
                new() { Value = filing.Kind },
                new() { Value = (object?)filing.Action ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)filing.Timestamp ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new() { Value = (object?)filing.RecordId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = filing.Reason },
                new() { Value = filing.RequestedBy },
                new() { Value = (object?)filing.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            },
        };
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ToResponse(reader) : null;
    }

    /// <summary>Writes the correction's row to the record log; the database's rules check it on the effective timeline.</summary>
    private static async Task<(long? RecordId, CorrectionOutcome.Refused? Refused)> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CorrectionResponse correction, CancellationToken cancellationToken)
    {
        // A void's action and time are copied from the record it withdraws by the trigger.
        await using var insert = correction.Kind == CorrectionKinds.Add
            ? new NpgsqlCommand("""
                INSERT INTO attendance_records (employee_id, action, timestamp, source, correction_id)
                VALUES ($1, $2, $3, 'correction', $4) RETURNING id
                """, connection, transaction)
            {
                Parameters =
                {
                    new() { Value = correction.EmployeeId },
                    new() { Value = correction.Action! },
                    new() { Value = correction.Timestamp!.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new() { Value = correction.Id },
                },
            }
            : new NpgsqlCommand("""
                INSERT INTO attendance_records (employee_id, kind, action, voids_record_id, source, correction_id)
                VALUES ($1, 'void', NULL, $2, 'correction', $3) RETURNING id
                """, connection, transaction)
            {
                Parameters =
                {
                    new() { Value = correction.EmployeeId },
                    new() { Value = correction.RecordId!.Value },
                    new() { Value = correction.Id },
                },
            };
        try
        {
            return ((long)(await insert.ExecuteScalarAsync(cancellationToken))!, null);
        }
        catch (PostgresException ex) when (PunchRule.FromSqlState(ex.SqlState) is { } rule)
        {
            return (null, new CorrectionOutcome.Refused(rule.Refusal, ex.MessageText));
        }
    }

    private static async Task<CorrectionResponse> MarkDecidedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        long id, string status, int decidedBy, string? note, long? appliedRecordId, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand($"""
            UPDATE corrections SET status = $2, decided_by = $3, decided_at = now(), note = $4, applied_record_id = $5
            WHERE id = $1 RETURNING {Columns}
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = id },
                new() { Value = status },
                new() { Value = decidedBy },
                new() { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)appliedRecordId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
            },
        };
        await using var reader = await update.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ToResponse(reader);
    }

    private static async Task<CorrectionResponse?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string where, object[] parameters, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand($"SELECT {Columns} FROM corrections {where}", connection, transaction);
        foreach (var parameter in parameters)
        {
            query.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ToResponse(reader) : null;
    }

    /// <summary>Who is involved, and the change in words, for notification texts.</summary>
    private static async Task<(string Requester, string Employee, string Decider, string Change)> DescribeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CorrectionResponse correction, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand("""
            SELECT (SELECT username FROM employees WHERE id = $1), (SELECT username FROM employees WHERE id = $2),
                   (SELECT username FROM employees WHERE id = $3),
                   (SELECT format('"%s" at %s', action, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                    FROM attendance_records WHERE id = $4)
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = correction.RequestedBy },
                new() { Value = correction.EmployeeId },
                new() { Value = (object?)correction.DecidedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
                new() { Value = (object?)correction.RecordId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
            },
        };
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        string Text(int column) => reader.IsDBNull(column) ? "" : reader.GetString(column);
        var change = correction.Kind == CorrectionKinds.Add
            ? $"add \"{correction.Action}\" at {UtcTime.Format(correction.Timestamp!.Value)}"
            : string.Create(CultureInfo.InvariantCulture, $"void record {correction.RecordId} ({Text(3)})");
        return (Text(0), Text(1), Text(2), change);
    }

    private static async Task<string> UsernameAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int id, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand("SELECT username FROM employees WHERE id = $1", connection, transaction)
        {
            Parameters = { new() { Value = id } },
        };
        return (string?)await query.ExecuteScalarAsync(cancellationToken) ?? $"employee {id}";
    }

    private static CorrectionDetails Details(CorrectionResponse c) =>
        new(c.Id, c.Kind, c.Action, c.Timestamp, c.RecordId, c.Reason, c.Status, c.Note, null);

    private static CorrectionResponse ToResponse(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetInt32(1), r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : r.GetDateTime(4),
        r.IsDBNull(5) ? null : r.GetInt64(5),
        r.GetString(6), r.GetString(7), r.GetInt32(8), r.GetDateTime(9),
        r.IsDBNull(10) ? null : r.GetInt32(10),
        r.IsDBNull(11) ? null : r.GetDateTime(11),
        r.IsDBNull(12) ? null : r.GetString(12));

    /// <summary>What the audit log keeps of a correction step.</summary>
    private sealed record CorrectionDetails(
        long CorrectionId, string Kind, string? Action, DateTime? Timestamp, long? RecordId, string Reason, string Status, string? Note,
        long? RecordWritten);
}
