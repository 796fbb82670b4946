using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace AttendanceSystem.Bench.Load;

/// <summary>The SQL pgbench runs for one punch; each client is one employee (id base + client).</summary>
public sealed record PunchSql(string Name, string Script)
{
    /// <summary>
    /// The physical ceiling: the same work with nothing of ours in it. One statement that updates the
    /// employee's state row and inserts the record into copies of the two tables (same columns,
    /// defaults and indexes; no triggers, no foreign key), one transaction, one round trip.
    /// </summary>
    public static PunchSql Ceiling { get; } = new("plain INSERT + UPDATE", """
        \set emp :base + :client_id
        WITH state AS (
          UPDATE bench_ceiling_state SET last_action = CASE WHEN last_action = 'in' THEN 'out' ELSE 'in' END, last_punch_at = now()
          WHERE id = :emp RETURNING id, last_action)
        INSERT INTO bench_ceiling_records (employee_id, action, timestamp, source) SELECT id, last_action, now(), 'punch' FROM state;
        """);

    /// <summary>
    /// What a punch comes down to in the project: one insert whose rule trigger locks the employee,
    /// checks the rules and updates their state, with the action chosen from that state so every
    /// client alternates in/out like the service's clients.
    /// </summary>
    public static PunchSql Project { get; } = new("the project's punch SQL", """
        \set emp :base + :client_id
        INSERT INTO attendance_records (employee_id, action, source)
        SELECT :emp, CASE WHEN last_action = 'in' THEN 'out' ELSE 'in' END, 'punch' FROM employees WHERE id = :emp;
        """);
}

/// <summary>pgbench on the same cluster and tables as the services: the baselines for punch throughput.</summary>
public static partial class Pgbench
{
    /// <summary>Creates (again) the trigger-less copies <see cref="PunchSql.Ceiling"/> writes to.</summary>
    public static async Task PrepareCeilingAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand("""
            DROP TABLE IF EXISTS bench_ceiling_records, bench_ceiling_state;
            CREATE TABLE bench_ceiling_records (LIKE attendance_records INCLUDING ALL);
            CREATE TABLE bench_ceiling_state AS SELECT id, last_action, last_punch_at FROM employees;
            ALTER TABLE bench_ceiling_state ADD PRIMARY KEY (id);
            """, connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with the statement-level NOTIFY trigger every punch fired until
    /// the feed's doorbell left the transaction, so a run can show what it cost.
    /// </summary>
    public static async Task WithNotifyTriggerAsync(string connectionString, Func<Task> body, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connectionString, """
            CREATE FUNCTION bench_records_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('attendance_records', ''); RETURN NULL; END $$;
            CREATE TRIGGER bench_records_notify AFTER INSERT ON attendance_records FOR EACH STATEMENT EXECUTE FUNCTION bench_records_notify();
            """, cancellationToken);
        try
        {
            await body();
        }
        finally
        {
            await ExecuteAsync(connectionString, """
                DROP TRIGGER bench_records_notify ON attendance_records;
                DROP FUNCTION bench_records_notify();
                """, CancellationToken.None);
        }
    }

    /// <summary>Transactions per second pgbench reaches running <paramref name="sql"/> with one client per employee id firstId, firstId+1, ….</summary>
    public static async Task<double> PunchesPerSecondAsync(string connectionString, PunchSql sql, int firstId, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var output = await Tool.WithScriptFileAsync(".sql", sql.Script, file => Tool.RunAsync(Executable(), [
            "--no-vacuum", "--protocol=prepared",
            "--client", clients.ToString(CultureInfo.InvariantCulture),
            "--jobs", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
            "--time", Tool.WholeSeconds(duration),
            "--define", "base=" + firstId.ToString(CultureInfo.InvariantCulture),
            "--file", file], cancellationToken, new Dictionary<string, string>
            {
                ["PGHOST"] = connection.Host!,
                ["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture),
                ["PGUSER"] = connection.Username!,
                ["PGPASSWORD"] = connection.Password!,
                ["PGDATABASE"] = connection.Database!,
            }), cancellationToken);
        var tps = TpsPattern().Match(output);
        if (!tps.Success)
        {
            throw new InvalidOperationException("pgbench printed no tps:\n" + output);
        }

        if (output.Contains("Run was aborted", StringComparison.Ordinal)
            || FailedPattern().Match(output) is { Success: true } failed && failed.Groups[1].Value != "0")
        {
            throw new InvalidOperationException("pgbench transactions failed:\n" + output);
        }

        return double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The server's own pgbench (Debian puts it beside the server binaries), else the one on PATH.</summary>
    private static string Executable() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetFiles("/usr/lib/postgresql", "pgbench", SearchOption.AllDirectories).OrderDescending().FirstOrDefault() ?? "pgbench"
            : "pgbench";

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex FailedPattern();
}
