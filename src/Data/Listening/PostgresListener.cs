using AttendanceSystem.ServiceDefaults.Resilience;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AttendanceSystem.Data.Listening;

/// <summary>
/// Follows one PostgreSQL NOTIFY channel for as long as the process runs, on a connection of its own
/// kept open with the one reconnect backoff. What a subclass keeps is read whole at start, after
/// every (re)connect — notifications sent while away are lost — and after <see cref="SafetyInterval"/>
/// without news; each notification in between goes to <see cref="Apply"/>, and one it cannot apply
/// alone has everything read again.
/// </summary>
public abstract partial class PostgresListener(NpgsqlDataSource dataSource, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The database the subclass reads from (the listener's own connection comes from it too).</summary>
    protected NpgsqlDataSource DataSource { get; } = dataSource;

    protected TimeProvider Time { get; } = time;

    protected abstract string Channel { get; }

    /// <summary>How long a quiet channel is trusted before reading again; infinite for live-only channels.</summary>
    protected virtual TimeSpan SafetyInterval => Timeout.InfiniteTimeSpan;

    /// <summary>Reads what this listener keeps, whole (nothing, for a live-only channel).</summary>
    public virtual Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <returns>False when the notification cannot be applied by itself: then everything is read again.</returns>
    protected abstract bool Apply(string payload);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            // The listener keeps trying; until it succeeds the subclass answers from what it has (failing closed).
            LogReconnecting(GetType().Name, ex.Message, 0);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Reconnect.Policy(
                failure => failure is NpgsqlException or TimeoutException or InvalidOperationException,
                (failure, delay) => LogReconnecting(GetType().Name, failure.Message, delay.TotalMilliseconds),
                Time)
            .KeepConnectedAsync(ListenAsync, stoppingToken);

    private async ValueTask ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(stoppingToken);
        var reloadAsked = false;
        connection.Notification += (_, notification) => reloadAsked |= !Apply(notification.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening first, then reading: a change committed in between is read, announced, or both.
        await ReloadAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var notified = true;
            if (SafetyInterval == Timeout.InfiniteTimeSpan)
            {
                await connection.WaitAsync(stoppingToken);
            }
            else
            {
                notified = await connection.WaitAsync(SafetyInterval, stoppingToken);
            }

            if (!notified || reloadAsked)
            {
                reloadAsked = false;
                await ReloadAsync(stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} lost its database connection ({Reason}); reconnecting in {DelayMs:0} ms")]
    private partial void LogReconnecting(string listener, string reason, double delayMs);
}
