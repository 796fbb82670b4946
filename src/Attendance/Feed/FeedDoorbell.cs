using System.Threading.Channels;
using AttendanceSystem.Data.Listening;
using Npgsql;

namespace AttendanceSystem.Attendance.Feed;

/// <summary>
/// Rung after a commit that wrote records: wakes this process's feed in memory at once, and tells
/// every other replica's feed with one NOTIFY sent on its own, outside any write transaction. A
/// NOTIFY inside each punch's transaction made every commit wait for the cluster-wide notify
/// queue lock, one punch at a time; rings that come while a NOTIFY is on its way become one more.
/// </summary>
public sealed partial class FeedDoorbell(RecordFeed feed, NpgsqlDataSource dataSource, ILogger<FeedDoorbell> logger) : BackgroundService
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Call after the commit (never inside the transaction): readers see a record only once it is committed.</summary>
    public void Ring()
    {
        feed.Wake();
        _pending.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var _ in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var notify = dataSource.CreateCommand($"NOTIFY {RecordFeed.Channel}");
                await notify.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // Other replicas then find the record by their safety poll, a second at most later.
                LogNotSent(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ring the feed's doorbell for other replicas ({Reason}); they read on their next safety poll")]
    private partial void LogNotSent(string reason);
}

/// <summary>
/// Hears the doorbells of other replicas and outside writers and wakes this process's feed; after
/// every (re)connect too, since a ring may have come while it was away. The feed reads the table
/// either way within its safety poll: a missed ring only costs that delay.
/// </summary>
public sealed class FeedDoorbellListener(RecordFeed feed, NpgsqlDataSource dataSource, TimeProvider time, ILogger<FeedDoorbellListener> logger)
    : PostgresListener(dataSource, time, logger)
{
    protected override string Channel => RecordFeed.Channel;

    public override Task ReloadAsync(CancellationToken cancellationToken)
    {
        feed.Wake();
        return Task.CompletedTask;
    }

    protected override bool Apply(string payload)
    {
        feed.Wake();
        return true;
    }
}
