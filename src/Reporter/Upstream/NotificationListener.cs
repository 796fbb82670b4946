using System.Text.Json;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Data.Listening;
using Npgsql;

namespace AttendanceSystem.Reporter.Upstream;

/// <summary>
/// Pushes notifications to their recipients' open sockets. The notifications table's insert
/// trigger sends each one on the <c>attendance_notifications</c> channel at commit; this listener
/// hands it to the hub. Delivery is live only: one sent while the reporter is away is still in
/// <c>GET /notifications</c>, which the page reads on every (re)connect.
/// </summary>
public sealed partial class NotificationListener(
    NpgsqlDataSource dataSource, RelayHub hub, TimeProvider time, ILogger<NotificationListener> logger)
    : PostgresListener(dataSource, time, logger)
{
    public const string ChannelName = "attendance_notifications";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    protected override string Channel => ChannelName;

    /// <summary>Live only: nothing to read again, and an unreadable notification is skipped, not retried.</summary>
    protected override bool Apply(string payload)
    {
        Deliver(payload);
        return true;
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
                Time.GetUtcNow());
        }
        catch (JsonException ex)
        {
            LogUnreadable(ex.Message);
        }
    }

    private sealed record SentNotification(long Id, int RecipientId, string Kind, string Text, long? CorrectionId, string CreatedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable notification ({Reason})")]
    private partial void LogUnreadable(string reason);
}
