using AttendanceSystem.Data;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.Streaming;
using Npgsql;
using NpgsqlTypes;

namespace AttendanceSystem.Attendance.Feed;

/// <summary>
/// One record as the feed and gRPC carry it: its position, its owner, and its message, built once
/// here (the one mapping from the table to the proto) and shared by every receiver.
/// </summary>
public sealed record FeedRecord(FeedCursor Cursor, int EmployeeId, AttendanceRecord Message) : IFeedItem;

/// <summary>
/// Reads records in feed order straight from the table, the feed's source of truth (on the primary);
/// history (gRPC List) from <paramref name="reads"/>, which a hot standby may serve.
/// </summary>
public sealed class FeedStore(NpgsqlDataSource dataSource, [FromKeyedServices(ReadReplica.Key)] NpgsqlDataSource reads)
{
    // Only below the oldest running transaction (its xmin) is the order final: a transaction still
    // running there could commit a record that sorts before ones already committed.
    private const string SafeHorizon = "pg_snapshot_xmin(pg_current_snapshot())";

    private const int CatchUpPage = 1000;

    // Voids travel the feed like records (their own row, cursor and place in the order), so a
    // resuming reader gets them once and in order with the records around them.
    private const string Columns = """
        SELECT r.tx_id, r.id, r.employee_id, r.action, r.timestamp, e.username, r.kind, r.voids_record_id, r.source, r.correction_id
        FROM attendance_records r JOIN employees e ON e.id = r.employee_id
        """;

    /// <summary>The newest position that is final now: where a fresh feed starts.</summary>
    public async Task<FeedCursor> SafeHeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT tx_id, id FROM attendance_records WHERE tx_id < {SafeHorizon}
            ORDER BY tx_id DESC, id DESC LIMIT 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new FeedCursor(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : FeedCursor.Start;
    }

    /// <summary>
    /// How far a bounded replay up to <paramref name="until"/> may go: all the way once everything up
    /// to it is final, waiting for that (transactions older than the record may still be running,
    /// in any database of the cluster) when it is a committed record; otherwise (a cursor that names
    /// no record) only as far as what is final now.
    /// </summary>
    public async Task<FeedCursor> FinalUpToAsync(FeedCursor until, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            await using var command = dataSource.CreateCommand($"""
                SELECT $1 < {SafeHorizon}, EXISTS (SELECT 1 FROM attendance_records WHERE tx_id = $1 AND id = $2)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = until.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 });
            command.Parameters.Add(new NpgsqlParameter { Value = until.Id });
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                if (reader.GetBoolean(0))
                {
                    return until;
                }

                if (!reader.GetBoolean(1))
                {
                    var head = await SafeHeadAsync(cancellationToken);
                    return head < until ? head : until;
                }
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
        }
    }

    /// <summary>Final records after <paramref name="after"/>, in order; and whether newer records are still held back.</summary>
    public async Task<(List<FeedRecord> Records, bool HeldBack)> ReadSafeAsync(FeedCursor after, int limit, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"""
            {Columns}
            WHERE (r.tx_id, r.id) > ($1, $2) AND r.tx_id < {SafeHorizon}
            ORDER BY r.tx_id, r.id LIMIT {limit}
            """, after));
        batch.BatchCommands.Add(Command($"""
            SELECT EXISTS (SELECT 1 FROM attendance_records WHERE (tx_id, id) > ($1, $2) AND tx_id >= {SafeHorizon})
            """, after));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var records = await ReadRecordsAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (records, reader.GetBoolean(0));
    }

    /// <summary>
    /// Records in (after, upTo], in order, for one employee or (0) everyone: the catch-up of a
    /// resumed stream, read a page at a time so a long absence costs no more memory than a page.
    /// </summary>
    public async IAsyncEnumerable<FeedRecord> RangeAsync(FeedCursor after, FeedCursor upTo, int employeeId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await ReadRangeAsync(after, upTo, employeeId, CatchUpPage, cancellationToken);
            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < CatchUpPage)
            {
                yield break;
            }

            after = page[^1].Cursor;
        }
    }

    private async Task<List<FeedRecord>> ReadRangeAsync(FeedCursor after, FeedCursor upTo, int employeeId, int limit, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var command = Command($"""
            {Columns}
            WHERE (r.tx_id, r.id) > ($1, $2) AND (r.tx_id, r.id) <= ($3, $4) AND ($5 = 0 OR r.employee_id = $5)
            ORDER BY r.tx_id, r.id LIMIT {limit}
            """, after);
        command.Parameters.Add(new NpgsqlParameter { Value = upTo.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new NpgsqlParameter { Value = upTo.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = employeeId });
        batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadRecordsAsync(reader, cancellationToken);
    }

    /// <summary>One employee's effective records with times in [from, to), oldest first, streamed as they are read.</summary>
    public async IAsyncEnumerable<FeedRecord> HistoryAsync(int employeeId, DateTime from, DateTime to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = reads.CreateCommand($"""
            {Columns}
            WHERE r.employee_id = $1 AND r.timestamp >= $2 AND r.timestamp < $3 AND r.kind = 'record'
              AND NOT EXISTS (SELECT 1 FROM attendance_records v WHERE v.voids_record_id = r.id)
            ORDER BY r.timestamp, r.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = employeeId });
        command.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(from, DateTimeKind.Utc) });
        command.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(to, DateTimeKind.Utc) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ToRecord(reader);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, FeedCursor after) => new(sql)
    {
        Parameters =
        {
            new NpgsqlParameter { Value = after.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 },
            new NpgsqlParameter { Value = after.Id },
        },
    };

    private static async Task<List<FeedRecord>> ReadRecordsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var records = new List<FeedRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(ToRecord(reader));
        }

        return records;
    }

    /// <summary>A row of <see cref="Columns"/> as the message every reader gets (a void names the record it withdraws).</summary>
    private static FeedRecord ToRecord(NpgsqlDataReader reader)
    {
        var cursor = new FeedCursor(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
        var employeeId = reader.GetInt32(2);
        var isVoid = reader.GetString(6) == PunchKinds.Void;
        return new FeedRecord(cursor, employeeId, new AttendanceRecord
        {
            Id = isVoid ? reader.GetInt64(7) : cursor.Id,
            EmployeeId = employeeId,
            Action = reader.GetString(3),
            Timestamp = UtcTime.Format(reader.GetDateTime(4)),
            Username = reader.GetString(5),
            Cursor = cursor.ToString(),
            Source = reader.GetString(8),
            Kind = isVoid ? PunchKinds.Void : "",
            CorrectionId = reader.IsDBNull(9) ? 0 : reader.GetInt64(9),
        });
    }
}
