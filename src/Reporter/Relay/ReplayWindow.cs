using AttendanceSystem.Protos;
using AttendanceSystem.Streaming;

namespace AttendanceSystem.Reporter.Relay;

/// <summary>One record (or void) as relayed: its position, its owner and its frame, serialised once for every client.</summary>
public sealed record RelayedRecord(FeedCursor Cursor, int EmployeeId, byte[] Frame, DateTimeOffset ReceivedAt) : IFeedItem
{
    /// <summary>Set for a side message meant for this one employee (a notification), which has no place in the feed.</summary>
    public int? Recipient { get; init; }

    public bool Positioned => Recipient is null;

    /// <summary>The one mapping from attendance's message to what the relay keeps; null for a message without a valid cursor.</summary>
    public static RelayedRecord? From(AttendanceRecord message, DateTimeOffset receivedAt) =>
        FeedCursor.TryParse(message.Cursor, out var cursor)
            ? new RelayedRecord(cursor, message.EmployeeId, Frames.For(message), receivedAt)
            : null;
}

/// <summary>
/// The most recent records, bounded by count and age, so a client that reconnects with its last
/// cursor gets what it missed. Not thread-safe: <see cref="RelayHub"/> guards it.
/// </summary>
internal sealed class ReplayWindow(int maxCount, TimeSpan maxAge, TimeProvider time)
{
    private readonly Queue<RelayedRecord> _records = new();

    // Every record after this position is held. Unknown until the first eviction or a resumed upstream.
    private FeedCursor? _coveredAfter;

    public FeedCursor? Last { get; private set; }

    /// <summary>Every record after this position is held (null: not known yet).</summary>
    public FeedCursor? CoveredAfter
    {
        get
        {
            Trim();
            return _coveredAfter;
        }
    }

    public void StartingAfter(FeedCursor cursor) => _coveredAfter ??= cursor;

    public void Add(RelayedRecord record)
    {
        _records.Enqueue(record);
        Last = record.Cursor;
        Trim();
    }

    /// <summary>The records after <paramref name="after"/> that pass <paramref name="accepts"/>; null when the window no longer reaches back that far.</summary>
    public List<RelayedRecord>? After(FeedCursor after, Func<RelayedRecord, bool> accepts)
    {
        Trim();
        var covered = (_coveredAfter is { } known && after >= known)
            || (_records.TryPeek(out var oldest) && after >= oldest.Cursor)
            || (Last is { } last && after >= last);
        return covered ? _records.Where(r => r.Cursor > after && accepts(r)).ToList() : null;
    }

    private void Trim()
    {
        var oldestKept = time.GetUtcNow() - maxAge;
        while (_records.TryPeek(out var oldest) && (_records.Count > maxCount || oldest.ReceivedAt < oldestKept))
        {
            _coveredAfter = _records.Dequeue().Cursor;
        }
    }
}
