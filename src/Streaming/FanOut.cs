using System.Threading.Channels;

namespace AttendanceSystem.Streaming;

/// <summary>Something the live feed carries: it has a place in the feed's order.</summary>
public interface IFeedItem
{
    FeedCursor Cursor { get; }

    /// <summary>
    /// False for a side message (a notification for one person): it goes to whoever accepts it
    /// now, is never replayed, and does not move the feed's position.
    /// </summary>
    bool Positioned => true;
}

/// <summary>
/// Hands every published item to every subscriber that accepts it, each through its own bounded
/// buffer. A subscriber whose buffer is full is cut off (<see cref="SubscriberTooSlowException"/>)
/// instead of holding up the others; it resumes with its last cursor. Publishing never blocks.
/// Used by attendance (one per process, fed from the table) and the reporter (fed from StreamNew).
/// </summary>
public sealed class FanOut<T>(int capacity) where T : IFeedItem
{
    private readonly Lock _gate = new();
    private readonly List<Subscription<T>> _subscribers = [];

    /// <summary>Raised (under the fan-out's lock) for each subscriber cut off for being too slow.</summary>
    public event Action? SubscriberDropped;

    private FeedCursor _position = FeedCursor.Start;

    /// <summary>The last item published: a new subscriber receives everything after it.</summary>
    public FeedCursor Position
    {
        get
        {
            // A cursor is two words: read it whole, never half old and half new.
            lock (_gate)
            {
                return _position;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Everything after <paramref name="position"/> will be published (a feed starting, or resuming upstream).</summary>
    public void StartAfter(FeedCursor position)
    {
        lock (_gate)
        {
            _position = position;
        }
    }

    /// <summary>
    /// Receives every item published from now on that <paramref name="accepts"/>;
    /// <see cref="Subscription{T}.StartsAfter"/> says where that begins, for the catch-up before it.
    /// </summary>
    public Subscription<T> Subscribe(Func<T, bool> accepts)
    {
        lock (_gate)
        {
            var subscription = new Subscription<T>(this, accepts, _position, capacity);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    public void Publish(T item)
    {
        lock (_gate)
        {
            Deliver(item);
        }
    }

    public void Publish(IReadOnlyList<T> items)
    {
        lock (_gate)
        {
            foreach (var item in items)
            {
                Deliver(item);
            }
        }
    }

    /// <summary>Ends every subscription (the feed stops); readers see the end of their items, or <paramref name="error"/>.</summary>
    public void EndAll(Exception? error = null)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.End(error);
            }

            _subscribers.Clear();
        }
    }

    internal void Remove(Subscription<T> subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    private void Deliver(T item)
    {
        for (var i = _subscribers.Count - 1; i >= 0; i--)
        {
            var subscriber = _subscribers[i];
            if (subscriber.Accepts(item) && !subscriber.TryWrite(item))
            {
                _subscribers.RemoveAt(i);
                subscriber.End(new SubscriberTooSlowException());
                SubscriberDropped?.Invoke();
            }
        }

        if (item.Positioned)
        {
            _position = item.Cursor;
        }
    }
}

/// <summary>One receiver's view of a <see cref="FanOut{T}"/>; dispose it to stop receiving.</summary>
public sealed class Subscription<T> : IDisposable where T : IFeedItem
{
    private readonly FanOut<T> _fanOut;
    private readonly Func<T, bool> _accepts;
    private readonly Channel<T> _buffer;

    internal Subscription(FanOut<T> fanOut, Func<T, bool> accepts, FeedCursor startsAfter, int capacity)
    {
        _fanOut = fanOut;
        _accepts = accepts;
        StartsAfter = startsAfter;
        _buffer = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Every accepted item after this position reaches this subscription (or it is cut off).</summary>
    public FeedCursor StartsAfter { get; }

    /// <summary>
    /// The items a client resuming after <paramref name="after"/> is owed, each once and in order:
    /// first the catch-up (after, <see cref="StartsAfter"/>] from <paramref name="catchUp"/> (the
    /// source of truth), then live ones. Without a cursor, live ones only. A cursor ahead of this
    /// subscription (given out by another replica, say) skips the live items up to it.
    /// </summary>
    public async IAsyncEnumerable<T> ReplayThenLiveAsync(
        FeedCursor? after,
        Func<FeedCursor, FeedCursor, CancellationToken, IAsyncEnumerable<T>> catchUp,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = after ?? StartsAfter;
        if (last < StartsAfter)
        {
            await foreach (var item in catchUp(last, StartsAfter, cancellationToken))
            {
                yield return item;
            }
        }

        // Resume after the later of the two: what the client has, and where the live part starts.
        last = last > StartsAfter ? last : StartsAfter;
        await foreach (var item in _buffer.Reader.ReadAllAsync(cancellationToken))
        {
            if (!item.Positioned)
            {
                yield return item;
            }
            else if (item.Cursor > last)
            {
                last = item.Cursor;
                yield return item;
            }
        }
    }

    /// <summary>Ends this subscription: the reader sees the end of its items, or <paramref name="error"/>.</summary>
    public void End(Exception? error = null) => _buffer.Writer.TryComplete(error);

    internal bool Accepts(T item) => _accepts(item);

    internal bool TryWrite(T item) => _buffer.Writer.TryWrite(item);

    public void Dispose()
    {
        _fanOut.Remove(this);
        End();
    }
}

/// <summary>The subscriber fell further behind than its buffer; it should resume from its last cursor.</summary>
public sealed class SubscriberTooSlowException() : Exception("The receiver fell too far behind the live feed; resume with the last cursor.");
