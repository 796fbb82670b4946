using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using AttendanceSystem.ServiceDefaults.Resilience;
using Npgsql;

namespace AttendanceSystem.Data.Migrations;

/// <summary>
/// Applies pending migrations at start-up, under a PostgreSQL advisory lock so that several services
/// starting together apply each migration exactly once: the others wait, then find nothing to do.
/// (EF Core's own migration lock was seen to let two processes apply the same migration.)
/// Waits for the database to come up, so start order does not matter.
/// </summary>
internal sealed partial class DatabaseMigrator(
    IServiceProvider services,
    IOptions<DatabaseOptions> options,
    TimeProvider time,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
        {
            return;
        }

        var waitForDatabase = Reconnect.Policy(
            failure => failure is NpgsqlException { IsTransient: true },
            (failure, delay) => LogWaiting(failure.Message, delay.TotalMilliseconds),
            time,
            until: time.GetUtcNow().AddSeconds(options.Value.StartupTimeoutSeconds));
        await waitForDatabase.ExecuteAsync(MigrateAsync, cancellationToken);
    }

    private async ValueTask MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AttendanceDbContext>();
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLock})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }

        // A migration may have added types (the citext extension) after this process's
        // data source loaded its type list, maybe in another process: load it again.
        await connection.ReloadTypesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The advisory lock key every migrating process takes ("ATTEND" in ASCII).</summary>
    private const long MigrationLock = 0x415454454E44;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the database ({Reason}); trying again in {DelayMs:0} ms")]
    private partial void LogWaiting(string reason, double delayMs);
}
