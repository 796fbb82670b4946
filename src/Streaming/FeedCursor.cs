using System.Globalization;

namespace AttendanceSystem.Streaming;

/// <summary>
/// A position in the live feed: the record's transaction id and its id. Records are delivered in
/// this order, and only once every transaction below them has finished, so resuming "after" a
/// cursor can never skip a record that committed late. On the wire: "txid.id".
/// </summary>
public readonly record struct FeedCursor(ulong TxId, long Id) : IComparable<FeedCursor>
{
    public static readonly FeedCursor Start = new(0, 0);

    public int CompareTo(FeedCursor other) =>
        TxId != other.TxId ? TxId.CompareTo(other.TxId) : Id.CompareTo(other.Id);

    public static bool operator <(FeedCursor a, FeedCursor b) => a.CompareTo(b) < 0;

    public static bool operator >(FeedCursor a, FeedCursor b) => a.CompareTo(b) > 0;

    public static bool operator <=(FeedCursor a, FeedCursor b) => a.CompareTo(b) <= 0;

    public static bool operator >=(FeedCursor a, FeedCursor b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TxId}.{Id}");

    public static bool TryParse(string? text, out FeedCursor cursor)
    {
        cursor = Start;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (text is null || text.Length > 41 || dot <= 0
            || !ulong.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var txId)
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new FeedCursor(txId, id);
        return true;
    }
}
