using System.Diagnostics;
using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

/// <summary>How the service starts: migrations, the seeded admin, and refusing a weak secret.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Services_starting_together_apply_each_migration_once_and_seed_one_admin()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("startup");
        var processes = new List<(Process Process, Task<string> Output)>();
        try
        {
            // Three real auth processes on one fresh database, started at the same moment.
            for (var i = 0; i < 3; i++)
            {
                var process = StartAuth(new Dictionary<string, string?>
                {
                    ["DATABASE_CONNECTION_STRING"] = database.ConnectionString,
                    ["JWT_SECRET"] = AuthAppSecrets.Secret,
                    ["ADMIN_USERNAME"] = AuthApp.AdminUsername,
                    ["ADMIN_PASSWORD"] = AuthApp.AdminPassword,
                    ["BCRYPT_WORK_FACTOR"] = "11",
                });
                processes.Add((process, ReadUntilStartedAsync(process)));
            }

            foreach (var (process, output) in processes)
            {
                var log = await output;
                Assert.False(process.HasExited, "an auth process stopped during start-up:\n" + log);
                Assert.Contains("Application started", log, StringComparison.Ordinal);
            }

            var migrations = typeof(Data.AttendanceDbContext).Assembly.GetTypes()
                .Count(t => t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration)));
            Assert.Equal(migrations, await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM employees"));
            Assert.Equal("admin", await database.ScalarAsync<string>("SELECT role FROM employees WHERE username = $1", AuthApp.AdminUsername));
        }
        finally
        {
            foreach (var (process, _) in processes)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static Process StartAuth(IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AttendanceSystem.Auth"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0";
        start.Environment.Remove("JWT_SECRET");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>The process's output up to "Application started" (or its exit, or a minute).</summary>
    private static async Task<string> ReadUntilStartedAsync(Process process)
    {
        var output = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains("Application started", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            output.AppendLine("(no start within a minute)");
        }

        return output.ToString();
    }

    [Theory]
    [InlineData(null, "JWT_SECRET is not set")]
    [InlineData("too-short-secret", "JWT_SECRET is 16 bytes long; at least 32 are required")]
    public async Task Outside_development_a_missing_or_short_secret_stops_start_up_with_one_clear_line(string? secret, string message)
    {
        var environment = new Dictionary<string, string?> { ["DATABASE_CONNECTION_STRING"] = await PostgresServer.ConnectionStringAsync() };
        if (secret is not null)
        {
            environment["JWT_SECRET"] = secret;
        }

        using var process = StartAuth(environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var lines = ((await output) + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.Contains("Refusing to start: " + message, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_read_connection_string_stops_start_up_instead_of_the_first_report()
    {
        using var process = StartAuth(new Dictionary<string, string?>
        {
            ["DATABASE_CONNECTION_STRING"] = await PostgresServer.ConnectionStringAsync(),
            ["DATABASE_READ_CONNECTION_STRING"] = "Host=standby;Nonsense Setting=1",
            ["JWT_SECRET"] = AuthAppSecrets.Secret,
        });
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Refusing to start: DATABASE_READ_CONNECTION_STRING is not a valid Npgsql connection string", (await output) + (await errors), StringComparison.Ordinal);
    }
}
