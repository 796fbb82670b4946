using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace AttendanceSystem.Bench.Load;

/// <summary>
/// The baseline for punch throughput: pgbench on the same cluster, same tables, running the SQL a
/// punch comes down to: one transaction that inserts the record, whose rule trigger locks the
/// employee, checks the rules and updates the employee's state (as the service's punch does), with
/// the action chosen from that state so every client alternates in/out like the service's clients.
/// </summary>
public static partial class Pgbench
{
    private const string Script = """
        \set emp :base + :client_id
        INSERT INTO attendance_records (employee_id, action, source)
        SELECT :emp, CASE WHEN last_action = 'in' THEN 'out' ELSE 'in' END, 'punch' FROM employees WHERE id = :emp;
        """;

    /// <summary>Punches per second pgbench reaches with one client per employee id firstId, firstId+1, ….</summary>
    public static async Task<double> PunchesPerSecondAsync(string connectionString, int firstId, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var output = await Tool.WithScriptFileAsync(".sql", Script, file => Tool.RunAsync(Executable(), [
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

        if (FailedPattern().Match(output) is { Success: true } failed && failed.Groups[1].Value != "0")
        {
            throw new InvalidOperationException("pgbench transactions failed:\n" + output);
        }

        return double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
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
