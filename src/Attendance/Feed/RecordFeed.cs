using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AttendanceSystem.Data.Feed;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults.Observability;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Attendance.Feed;

/// <summary>
/// The process's one reader of new records. A LISTEN connection is woken by the insert trigger's
/// NOTIFY; the reader then fetches every record that is final, in feed order, and hands each to
/// every subscriber through the subscriber's own bounded buffer. A subscriber whose buffer is full
/// is cut off (it resumes with its last cursor) so it can never hold up the others.
/// </summary>
public sealed partial class RecordFeed(
    FeedStore store,
    NpgsqlDataSource dataSource,
    IOptions<AttendanceOptions> options,
    ILogger<RecordFeed> logger) : BackgroundService
{
    public const string Channel = "attendance_records";
    private const int BatchSize = 1000;
    private static readonly TimeSpan IdleWake = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FeedCursor _position;

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// Starts receiving every record published from now on that <paramref name="accepts"/>; the
    /// subscription's <see cref="Subscription.StartsAfter"/> is the position it starts after.
    /// </summary>
    public async Task<Subscription> SubscribeAsync(Func<FeedRecord, bool> accepts, CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var subscription = new Subscription(this, accepts, _position, options.Value.SubscriberBuffer);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (!_ready.Task.IsCompleted)
                {
                    _position = await store.SafeHeadAsync(stoppingToken);
                    _ready.TrySetResult();
                    LogStarted(_position.ToString());
                }

                delay = TimeSpan.FromMilliseconds(200);
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
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogReconnecting(ex.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }

        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.End(null);
            }
        }
    }

    /// <returns>True when newer records exist that are not final yet.</returns>
    private async Task<bool> PublishFinalRecordsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (records, heldBack) = await store.ReadSafeAsync(_position, BatchSize, cancellationToken);
            if (records.Count > 0)
            {
                Publish(records);
            }

            if (records.Count < BatchSize)
            {
                return heldBack;
            }
        }
    }

    private void Publish(List<FeedRecord> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                for (var i = _subscribers.Count - 1; i >= 0; i--)
                {
                    var subscriber = _subscribers[i];
                    if (subscriber.Accepts(record) && !subscriber.TryWrite(record))
                    {
                        _subscribers.RemoveAt(i);
                        subscriber.End(new SubscriberTooSlowException());
                        AttendanceFeedMetrics.Dropped.Add(1);
                    }
                }

                _position = record.Cursor;
            }
        }

        AttendanceFeedMetrics.Published.Add(records.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live feed started after position {Position}")]
    private partial void LogStarted(string position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed lost its database connection ({Reason}); reconnecting in {DelayMs} ms")]
    private partial void LogReconnecting(string reason, double delayMs);

    /// <summary>One receiver's view of the feed; dispose it to stop receiving.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly RecordFeed _feed;
        private readonly Func<FeedRecord, bool> _accepts;
        private readonly Channel<FeedRecord> _buffer;

        internal Subscription(RecordFeed feed, Func<FeedRecord, bool> accepts, FeedCursor startsAfter, int capacity)
        {
            _feed = feed;
            _accepts = accepts;
            StartsAfter = startsAfter;
            _buffer = System.Threading.Channels.Channel.CreateBounded<FeedRecord>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        /// <summary>Every record after this position reaches this subscription (or it is cut off).</summary>
        public FeedCursor StartsAfter { get; }

        public ChannelReader<FeedRecord> Records => _buffer.Reader;

        internal bool Accepts(FeedRecord record) => _accepts(record);

        internal bool TryWrite(FeedRecord record) => _buffer.Writer.TryWrite(record);

        internal void End(Exception? error) => _buffer.Writer.TryComplete(error);

        public void Dispose()
        {
            _feed.Remove(this);
            End(null);
        }
    }
}

/// <summary>The subscriber fell further behind than its buffer; it should resume from its last cursor.</summary>
public sealed class SubscriberTooSlowException() : Exception("The receiver fell too far behind the live feed; resume with the last cursor.");

internal static class AttendanceFeedMetrics
{
    private static readonly Meter Meter = new(AttendanceMeters.Name);
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("attendance.feed.published", description: "Records published to live subscribers");
    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>("attendance.feed.subscribers_dropped", description: "Live subscribers cut off for falling behind");
}
