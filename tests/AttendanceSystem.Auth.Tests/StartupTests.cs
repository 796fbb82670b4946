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
        var apps = Enumerable.Range(0, 3).Select(_ => AuthApp.SharingDatabase(database)).ToList();
        try
        {
            await Task.WhenAll(apps.Select(app => Task.Run(() => ((IAsyncLifetime)app).InitializeAsync())));

            var migrations = typeof(Data.AttendanceDbContext).Assembly.GetTypes()
                .Count(t => t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration)));
            Assert.Equal(migrations, await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM employees WHERE role = 'admin'"));
            foreach (var app in apps)
            {
                using var client = app.CreateClient();
                using var login = await client.PostJsonAsync("/login", new { username = AuthApp.AdminUsername, password = AuthApp.AdminPassword });
                Assert.Equal(HttpStatusCode.OK, login.StatusCode);
                Assert.Equal("admin", (await login.JsonAsync()).GetProperty("role").GetString());
            }
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(null, "JWT_SECRET is not set")]
    [InlineData("too-short-secret", "JWT_SECRET is 16 bytes long; at least 32 are required")]
    public async Task Outside_development_a_missing_or_short_secret_stops_start_up_with_one_clear_line(string? secret, string message)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AttendanceSystem.Auth"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DATABASE_CONNECTION_STRING"] = await PostgresServer.ConnectionStringAsync();
        start.Environment["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0";
        start.Environment.Remove("JWT_SECRET");
        if (secret is not null)
        {
            start.Environment["JWT_SECRET"] = secret;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var lines = ((await output) + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.Contains("Refusing to start: " + message, line, StringComparison.Ordinal);
    }
}
