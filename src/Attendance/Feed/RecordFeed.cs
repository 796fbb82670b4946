using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AttendanceSystem.ServiceDefaults.Observability;
using AttendanceSystem.ServiceDefaults.Resilience;
using AttendanceSystem.Streaming;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Attendance.Feed;

/// <summary>
/// The process's one reader of new records. It is woken in memory by this process's own writes
/// (<see cref="FeedDoorbell"/>, after they commit) and by other writers' doorbells (NOTIFY on
/// <see cref="Channel"/>, sent outside their transactions, heard by <see cref="FeedDoorbellListener"/>), and reads anyway every
/// FEED_SAFETY_POLL_MS; it then fetches every record that is final, in feed order, and publishes
/// it to the fan-out, which hands it to every subscriber (each StreamNew call) through its own bounded buffer.
/// A wake only says "read now": what is read, and in which order, comes from the table alone.
/// </summary>
public sealed partial class RecordFeed : BackgroundService
{
    public const string Channel = "attendance_records";
    private const int BatchSize = 1000;
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(50);

    private readonly FeedStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordFeed> _logger;
    private readonly FanOut<FeedRecord> _fanOut;
    private readonly TimeSpan _safetyPoll;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One pending wake at most: any number of commits before the next read is one read.
    private readonly Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public RecordFeed(FeedStore store, IOptions<AttendanceOptions> options, TimeProvider time, ILogger<RecordFeed> logger)
    {
        (_store, _time, _logger) = (store, time, logger);
        _fanOut = new FanOut<FeedRecord>(options.Value.SubscriberBuffer);
        _safetyPoll = TimeSpan.FromMilliseconds(options.Value.SafetyPollMilliseconds);
        _fanOut.SubscriberDropped += () => AttendanceFeedMetrics.Dropped.Add(1);
    }

    public int SubscriberCount => _fanOut.Count;

    /// <summary>Has the feed read the table now (a record was committed); cheap, never blocks.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

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
        await reconnect.KeepConnectedAsync(ReadAsync, stoppingToken);
        _fanOut.EndAll();
    }

    /// <summary>Reads for as long as the database answers; a failed read ends the round, and the next one starts after the backoff.</summary>
    private async ValueTask ReadAsync(CancellationToken stoppingToken)
    {
        if (!_ready.Task.IsCompleted)
        {
            _fanOut.StartAfter(await _store.SafeHeadAsync(stoppingToken));
            _ready.TrySetResult();
            LogStarted(_fanOut.Position.ToString());
        }

        var pollSoon = MinPoll;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Records committed while we were away (or held back) are read first: the table is the truth.
            var heldBack = await PublishFinalRecordsAsync(stoppingToken);

            // While a record waits for an older transaction to finish, poll (that transaction
            // may ring no doorbell); otherwise sleep until a wake, with a slow safety poll.
            // A wake that came during the read makes the wait return at once.
            var wait = heldBack ? pollSoon : _safetyPoll;
            pollSoon = heldBack ? TimeSpan.FromTicks(Math.Min(pollSoon.Ticks * 2, MaxPoll.Ticks)) : MinPoll;
            await WaitForWakeAsync(wait, stoppingToken);
        }
    }

    private async Task WaitForWakeAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (_wake.Reader.TryRead(out _))
        {
            return;
        }

        // Cancelling the wait (not leaving it behind) unregisters it from the channel.
        using var timeout = new CancellationTokenSource(wait, _time);
        using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        await ((Task)_wake.Reader.WaitToReadAsync(waitEnds.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _wake.Reader.TryRead(out _);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed could not read the database ({Reason}); trying again in {DelayMs:0} ms")]
    private partial void LogReconnecting(string reason, double delayMs);
}

internal static class AttendanceFeedMetrics
{
    private static readonly Meter Meter = new(AttendanceMeters.Name);
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("attendance.feed.published", description: "Records published to live subscribers");
    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>("attendance.feed.subscribers_dropped", description: "Live subscribers cut off for falling behind");
}
