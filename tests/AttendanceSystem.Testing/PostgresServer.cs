using System.Diagnostics;
using Npgsql;

namespace AttendanceSystem.Testing;

/// <summary>
/// The one PostgreSQL server a test run uses: TEST_DATABASE_CONNECTION_STRING when given (scripts/test.sh
/// starts one cluster for all test projects), otherwise a private throwaway cluster started with
/// scripts/pg.sh and stopped when the test process exits.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>A connection string with the right to create databases.</summary>
    public static Task<string> ConnectionStringAsync() => Server.Value;

    /// <summary>A fresh, empty database for one test class; services migrate it on start.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix)
    {
        var server = await ConnectionStringAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(server, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, name);
    }

    private static async Task<string> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable("TEST_DATABASE_CONNECTION_STRING");
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var dir = Path.Combine(Path.GetTempPath(), $"attendance-test-pg-{Environment.ProcessId}");
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "pg.sh");
        var output = await Shell.RunAsync("bash", script, "start", dir, "25432", "--fast");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var remove = Process.Start("bash", [script, "remove", dir]);
            remove?.WaitForExit(30_000);
        };
        return output.Trim().Split('\n')[^1];
    }
}

/// <summary>Runs a helper program and returns what it printed; fails with its errors when it fails.</summary>
public static class Shell
{
    public static Task<string> RunAsync(string file, params string[] args) => RunAsync(file, args, new Dictionary<string, string>());

    /// <summary>Runs a program to its end with these environment variables added: its standard output, or an exception carrying its standard error.</summary>
    public static async Task<string> RunAsync(string file, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await stderr}");
    }
}

/// <summary>One database on the shared server; dropped when the test class is done.</summary>
public sealed class TestDatabase(string serverConnectionString, string connectionString, string name) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>
    /// Empties every table (cheap: one TRUNCATE), keeping the schema and migrations history. The
    /// services keep reading meanwhile (a team directory's safety reload joins two tables), so the
    /// TRUNCATE may be a deadlock's victim: like any client, it tries again.
    /// </summary>
    public async Task ResetAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TruncateAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }

    private async Task TruncateAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var truncate = new NpgsqlCommand(
            """
            DO $$ DECLARE tables text;
            BEGIN
              SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO tables
              FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\_\_EF%' AND tablename <> 'audit_chain';
              -- The audit log refuses TRUNCATE (as it should); a test reset is the one exception.
              SET LOCAL session_replication_role = replica;
              IF tables IS NOT NULL THEN EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE'; END IF;
              UPDATE audit_chain SET last_id = 0, last_hash = decode(repeat('00', 32), 'hex');
              -- The running services' team directories forget the old teams (ids start again at 1), and
              -- their revocation lists the old revocations (the replica role kept the table's own trigger quiet).
              PERFORM pg_notify('attendance_teams', '');
              PERFORM pg_notify('attendance_revocations', 'reload');
            END $$;
            """, connection);
        await truncate.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>
    /// Writes records as any writer outside the attendance service should: commits, then rings the
    /// live feed's doorbell (without it the feeds find the records on their next safety poll).
    /// </summary>
    public async Task WriteRecordsAsync(string sql, params object[] parameters)
    {
        await ScalarAsync<object>(sql, parameters);
        await ScalarAsync<object>("NOTIFY attendance_records");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>The repository root, found by walking up to AttendanceSystem.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AttendanceSystem.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AttendanceSystem.sln not found above " + AppContext.BaseDirectory);
    }
}
