using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AttendanceSystem.Attendance.Contracts;
using Npgsql;

namespace AttendanceSystem.Attendance.Audit;

/// <summary>
/// Checks the audit log's hash chain the way <c>Sql/audit_log.v1.sql</c> builds it, independently
/// of the database's own function: a row changed behind the application's back no longer matches
/// its hash, a row removed breaks the next row's link (and the id sequence), a removed tail no
/// longer matches the chain's head.
/// </summary>
public sealed class AuditChain(NpgsqlDataSource dataSource)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var previous = new byte[32];
        long rows = 0, expectedId = 1;
        await using (var read = new NpgsqlCommand(
            "SELECT id, at, actor_id, action, employee_id, details::text, hash FROM audit_log ORDER BY id", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                var canonical = Canonical(id, reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                    reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetString(5));
                var expected = SHA256.HashData([.. previous, .. Encoding.UTF8.GetBytes(canonical)]);
                var stored = reader.GetFieldValue<byte[]>(6);
                if (id != expectedId)
                {
                    return new AuditVerification(false, rows, expectedId, $"Row {expectedId} is missing: the log goes from {expectedId - 1} to {id}.");
                }

                if (!expected.AsSpan().SequenceEqual(stored))
                {
                    return new AuditVerification(false, rows, id, $"Row {id} does not match its hash: it, or the row before it, was changed.");
                }

                (previous, rows, expectedId) = (stored, rows + 1, id + 1);
            }
        }

        await using var head = new NpgsqlCommand("SELECT last_id, last_hash FROM audit_chain", connection, transaction);
        await using var headReader = await head.ExecuteReaderAsync(cancellationToken);
        if (await headReader.ReadAsync(cancellationToken)
            && (headReader.GetInt64(0) != rows || !headReader.GetFieldValue<byte[]>(1).AsSpan().SequenceEqual(previous)))
        {
            return new AuditVerification(false, rows, rows + 1, $"The log ends at row {rows}, but the chain's head says {headReader.GetInt64(0)}: rows were removed from the end.");
        }

        return new AuditVerification(true, rows, null, null);
    }

    /// <summary>id|at (UTC, microseconds)|actor_id|action|employee_id|details, exactly as the chain trigger writes it.</summary>
    public static string Canonical(long id, DateTime at, int? actorId, string action, int? employeeId, string details) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{id}|{at.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}|{actorId}|{action}|{employeeId}|{details}");
}
