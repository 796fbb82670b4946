using System.Text.Json;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.ServiceDefaults.Resilience;
using Npgsql;

namespace AttendanceSystem.Reporter.Upstream;

/// <summary>
/// Pushes notifications to their recipients' open sockets. The notifications table's insert
/// trigger sends each one on the <c>attendance_notifications</c> channel at commit; this listener
/// hands it to the hub. Delivery is live only: one sent while the reporter is away is still in
/// <c>GET /notifications</c>, which the page reads on every (re)connect.
/// </summary>
public sealed partial class NotificationListener(
    NpgsqlDataSource dataSource, RelayHub hub, TimeProvider time, ILogger<NotificationListener> logger) : BackgroundService
{
    public const string Channel = "attendance_notifications";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Reconnect.Policy(
                failure => failure is NpgsqlException or TimeoutException or InvalidOperationException,
                (failure, delay) => LogReconnecting(failure.Message, delay.TotalMilliseconds),
                time)
            .KeepConnectedAsync(ListenAsync, stoppingToken);

    private async ValueTask ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, message) => Deliver(message.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            LogReconnecting(ex.Message, 0);
        }
    }

    private void Deliver(string payload)
    {
        try
        {
            var sent = JsonSerializer.Deserialize<SentNotification>(payload, Json);
            if (sent is null)
            {
                return;
            }

            hub.Notify(sent.RecipientId,
                Frames.Notification(new NotificationBody(sent.Id, sent.Kind, sent.Text, sent.CorrectionId, sent.CreatedAt)),
                time.GetUtcNow());
        }
        catch (JsonException ex)
        {
            LogUnreadable(ex.Message);
        }
    }

    private sealed record SentNotification(long Id, int RecipientId, string Kind, string Text, long? CorrectionId, string CreatedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification listener lost its database connection ({Reason}); reconnecting in {DelayMs:0} ms")]
    private partial void LogReconnecting(string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable notification ({Reason})")]
    private partial void LogUnreadable(string reason);
}
