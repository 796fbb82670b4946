using System.Globalization;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.ServiceDefaults.Http;
using Npgsql;

namespace AttendanceSystem.Attendance.Periods;

/// <summary>
/// Closes and reopens months. A closed month's bounds are its business days' bounds at the time of
/// closing; the punch rules (punch_rules.v2.sql) refuse any write dated inside them. Closing locks the
/// record log against inserts until it commits, so no punch can be checked against the old state and
/// land in the month after it closed.
/// </summary>
public sealed class PeriodStore(NpgsqlDataSource dataSource, BusinessCalendar calendar)
{
    private const string Columns = "month, starts_at, ends_at, closed_by, closed_at";

    public async Task<(PeriodResponse? Period, string? Conflict)> CloseAsync(DateOnly month, int actorId, CancellationToken cancellationToken)
    {
        var (from, to) = (calendar.StartOf(month), calendar.StartOf(month.AddMonths(1)));
        if (to > calendar.UtcNow)
        {
            return (null, $"{Name(month)} has not ended yet (it ends at {UtcTime.Format(to)}): a month is closed once it is over.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockLog = new NpgsqlCommand("LOCK TABLE attendance_records IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
        {
            await lockLog.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand($"""
            INSERT INTO closed_periods (month, starts_at, ends_at, closed_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (month) DO NOTHING RETURNING {Columns}
            """, connection, transaction)
        {
            Parameters = { new() { Value = month }, new() { Value = from }, new() { Value = to }, new() { Value = actorId } },
        };
        var closed = await ReadOneAsync(insert, cancellationToken);
        if (closed is null)
        {
            return (null, $"{Name(month)} is already closed.");
        }

        var pending = await PendingCorrectionsAsync(connection, transaction, from, to, cancellationToken);
        await AuditLog.WriteAsync(connection, transaction, new AuditEvent(actorId, AuditActions.PeriodClosed, null,
            new { closed.Month, closed.From, closed.To, PendingCorrections = pending }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (closed, null);
    }

    public async Task<(PeriodResponse? Period, string? Conflict)> ReopenAsync(DateOnly month, int actorId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand($"DELETE FROM closed_periods WHERE month = $1 RETURNING {Columns}", connection, transaction)
        {
            Parameters = { new() { Value = month } },
        };
        var reopened = await ReadOneAsync(delete, cancellationToken);
        if (reopened is null)
        {
            return (null, $"{Name(month)} is not closed.");
        }

        await AuditLog.WriteAsync(connection, transaction, new AuditEvent(actorId, AuditActions.PeriodReopened, null,
            new { reopened.Month, reopened.From, reopened.To, reopened.ClosedBy, reopened.ClosedAt }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (reopened, null);
    }

    /// <summary>Closed months, newest first.</summary>
    public async Task<List<PeriodResponse>> ListAsync(CancellationToken cancellationToken)
    {
        await using var query = dataSource.CreateCommand($"SELECT {Columns} FROM closed_periods ORDER BY month DESC");
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var periods = new List<PeriodResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            periods.Add(ToResponse(reader));
        }

        return periods;
    }

    private static string Name(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static async Task<long> PendingCorrectionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand("""
            SELECT count(*) FROM corrections c LEFT JOIN attendance_records r ON r.id = c.record_id
            WHERE c.status = 'pending' AND coalesce(c.timestamp, r.timestamp) >= $1 AND coalesce(c.timestamp, r.timestamp) < $2
            """, connection, transaction)
        {
            Parameters = { new() { Value = from }, new() { Value = to } },
        };
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<PeriodResponse?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ToResponse(reader) : null;
    }

    private static PeriodResponse ToResponse(NpgsqlDataReader reader) => new(
        reader.GetFieldValue<DateOnly>(0).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        reader.GetDateTime(1), reader.GetDateTime(2), reader.GetInt32(3), reader.GetDateTime(4));
}
