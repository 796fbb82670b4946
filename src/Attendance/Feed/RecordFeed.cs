using System.Diagnostics.Metrics;
using AttendanceSystem.ServiceDefaults.Observability;
using AttendanceSystem.ServiceDefaults.Resilience;
using AttendanceSystem.Streaming;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Attendance.Feed;

/// <summary>
/// The process's one reader of new records. A LISTEN connection is woken by the insert trigger's
/// NOTIFY; the reader then fetches every record that is final, in feed order, and publishes it to
/// the fan-out, which hands it to every subscriber (each StreamNew call) through its own bounded buffer.
/// </summary>
public sealed partial class RecordFeed : BackgroundService
{
    public const string Channel = "attendance_records";
    private const int BatchSize = 1000;
    private static readonly TimeSpan IdleWake = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(50);

    private readonly FeedStore _store;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordFeed> _logger;
    private readonly FanOut<FeedRecord> _fanOut;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordFeed(FeedStore store, NpgsqlDataSource dataSource, IOptions<AttendanceOptions> options, TimeProvider time, ILogger<RecordFeed> logger)
    {
        (_store, _dataSource, _time, _logger) = (store, dataSource, time, logger);
        _fanOut = new FanOut<FeedRecord>(options.Value.SubscriberBuffer);
        _fanOut.SubscriberDropped += () => AttendanceFeedMetrics.Dropped.Add(1);
    }

    public int SubscriberCount => _fanOut.Count;

    /// <summary>Receives every record published from now on that <paramref name="accepts"/> (once the feed knows where it starts).</summary>
    public async Task<Subscription<FeedRecord>> SubscribeAsync(Func<FeedRecord, bool> accepts, CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        return _fanOut.Subscribe(accepts);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reconnect = Reconnect.Policy(
            failure => failure is NpgsqlException or TimeoutException or InvalidOperationException,
            (failure, delay) => LogReconnecting(failure.Message, delay.TotalMilliseconds),
            _time);
        await reconnect.KeepConnectedAsync(ListenAsync, stoppingToken);
        _fanOut.EndAll();
    }

    /// <summary>One connection's life: failing to connect is retried with backoff; a connection lost later is reported and opened again.</summary>
    private async ValueTask ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        if (!_ready.Task.IsCompleted)
        {
            _fanOut.StartAfter(await _store.SafeHeadAsync(stoppingToken));
            _ready.TrySetResult();
            LogStarted(_fanOut.Position.ToString());
        }

        try
        {
            var pollSoon = MinPoll;
            while (!stoppingToken.IsCancellationRequested)
            {
                // Records committed while we were away (or held back) are read first: the table is the truth.
                var heldBack = await PublishFinalRecordsAsync(stoppingToken);

                // While a record waits for an older transaction to finish, poll (that transaction
                // may not notify); otherwise sleep until a commit notifies, with a slow safety wake.
                // Notifications that arrived meanwhile make WaitAsync return at once.
                var wait = heldBack ? pollSoon : IdleWake;
                pollSoon = heldBack ? TimeSpan.FromTicks(Math.Min(pollSoon.Ticks * 2, MaxPoll.Ticks)) : MinPoll;
                await connection.WaitAsync(wait, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            LogReconnecting(ex.Message, 0);
        }
    }

    /// <returns>True when newer records exist that are not final yet.</returns>
    private async Task<bool> PublishFinalRecordsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (records, heldBack) = await _store.ReadSafeAsync(_fanOut.Position, BatchSize, cancellationToken);
            if (records.Count > 0)
            {
                _fanOut.Publish(records);
                AttendanceFeedMetrics.Published.Add(records.Count);
            }

            if (records.Count < BatchSize)
            {
                return heldBack;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live feed started after position {Position}")]
    private partial void LogStarted(string position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed lost its database connection ({Reason}); reconnecting in {DelayMs:0} ms")]
    private partial void LogReconnecting(string reason, double delayMs);
}

internal static class AttendanceFeedMetrics
{
    private static readonly Meter Meter = new(AttendanceMeters.Name);
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("attendance.feed.published", description: "Records published to live subscribers");
    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>("attendance.feed.subscribers_dropped", description: "Live subscribers cut off for falling behind");
}
