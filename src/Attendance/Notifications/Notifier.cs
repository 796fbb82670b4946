using Npgsql;
using NpgsqlTypes;

namespace AttendanceSystem.Attendance.Notifications;

/// <summary>
/// Writes notifications in the transaction of what they announce: they exist exactly when it
/// happened. Their insert trigger wakes the reporter, which pushes each to its recipient's sockets.
/// </summary>
public static class Notifier
{
    public static async Task SendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IEnumerable<int> recipients, string kind, string text, long? correctionId, CancellationToken cancellationToken)
    {
        var distinct = recipients.Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return;
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO notifications (recipient_id, kind, text, correction_id)
            SELECT recipient, $2, $3, $4 FROM unnest($1::int[]) AS recipient
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = distinct, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                new() { Value = kind },
                new() { Value = text },
                new() { Value = (object?)correctionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
            },
        };
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Who approves this employee's corrections: every active admin and the manager of their team, never the employee.</summary>
    public static async Task<List<int>> ApproversOfAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        int employeeId, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand(
            """
            SELECT id FROM employees
            WHERE active AND id <> $1
              AND (role = 'admin' OR id = (SELECT t.manager_id FROM teams t JOIN employees m ON m.team_id = t.id WHERE m.id = $1))
            ORDER BY id
            """, connection, transaction)
        {
            Parameters = { new() { Value = employeeId } },
        };
        var approvers = new List<int>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            approvers.Add(reader.GetInt32(0));
        }

        return approvers;
    }
}
