using System.Runtime.CompilerServices;
using AttendanceSystem.Streaming;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// The fan-out both live channels stand on (attendance's StreamNew, the reporter's WebSocket), on
/// its own: what a resuming reader receives, and what happens to one that does not read.
/// </summary>
public sealed class FanOutTests
{
    private sealed record Item(FeedCursor Cursor) : IFeedItem;

    private static Item At(long id) => new(new FeedCursor(1, id));

    /// <summary>The catch-up a source of truth would give: every item in (after, upTo].</summary>
    private static async IAsyncEnumerable<Item> History(FeedCursor after, FeedCursor upTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var id = after.Id + 1; id <= upTo.Id; id++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return At(id);
        }
    }

    private static async Task<List<long>> TakeAsync(IAsyncEnumerable<Item> items, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var taken = new List<long>();
        await foreach (var item in items.WithCancellation(timeout.Token))
        {
            taken.Add(item.Cursor.Id);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    [Fact]
    public async Task A_resuming_reader_gets_the_catch_up_then_live_items_each_once_in_order()
    {
        var fanOut = new FanOut<Item>(capacity: 16);
        fanOut.Publish([At(1), At(2), At(3)]);
        using var subscription = fanOut.Subscribe(_ => true);
        fanOut.Publish([At(3), At(4)]); // a live item the catch-up could also have seen is not sent twice

        var received = await TakeAsync(subscription.ReplayThenLiveAsync(At(1).Cursor, History, CancellationToken.None), 3);

        Assert.Equal(3, subscription.StartsAfter.Id);
        Assert.Equal([2, 3, 4], received);
    }

    [Fact]
    public async Task A_cursor_ahead_of_the_live_start_skips_what_it_already_has()
    {
        var fanOut = new FanOut<Item>(capacity: 16);
        fanOut.StartAfter(At(5).Cursor);
        using var subscription = fanOut.Subscribe(_ => true);
        fanOut.Publish([At(6), At(7), At(8)]);

        var received = await TakeAsync(subscription.ReplayThenLiveAsync(At(7).Cursor, History, CancellationToken.None), 1);

        Assert.Equal([8], received);
    }

    [Fact]
    public async Task A_reader_that_falls_a_buffer_behind_is_cut_off_while_the_others_get_everything()
    {
        var fanOut = new FanOut<Item>(capacity: 4);
        var dropped = 0;
        fanOut.SubscriberDropped += () => dropped++;
        using var slow = fanOut.Subscribe(_ => true);
        using var reader = fanOut.Subscribe(_ => true);
        var reading = TakeAsync(reader.ReplayThenLiveAsync(null, History, CancellationToken.None), 10);

        for (var id = 1; id <= 10; id++)
        {
            fanOut.Publish(At(id));
            await Task.Delay(1); // the reading subscriber keeps up; the slow one reads nothing
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), await reading);
        await Assert.ThrowsAsync<SubscriberTooSlowException>(() => TakeAsync(slow.ReplayThenLiveAsync(null, History, CancellationToken.None), 10));
        Assert.Equal(1, dropped);
        Assert.Equal(1, fanOut.Count);
    }

    [Fact]
    public async Task Items_a_subscriber_does_not_accept_never_reach_it()
    {
        var fanOut = new FanOut<Item>(capacity: 16);
        using var evens = fanOut.Subscribe(item => item.Cursor.Id % 2 == 0);
        fanOut.Publish([At(1), At(2), At(3), At(4)]);

        Assert.Equal([2, 4], await TakeAsync(evens.ReplayThenLiveAsync(null, History, CancellationToken.None), 2));
    }
}
