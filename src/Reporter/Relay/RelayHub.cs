using System.Diagnostics.Metrics;
using AttendanceSystem.ServiceDefaults.Observability;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Streaming;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter.Relay;

/// <summary>
/// What a joining client gets: its live subscription, and what it missed before that — the
/// window's records, or when the window does not reach back, the range to fetch from attendance
/// first (<see cref="FetchUpTo"/>) and the window's records after it. <see cref="Missed"/> is null
/// when not even that is known (the reporter has not yet heard from attendance).
/// </summary>
public sealed record Join(Subscription<RelayedRecord> Live, List<RelayedRecord>? Missed, FeedCursor? FetchUpTo);

/// <summary>
/// The reporter's side of the live feed: records from attendance's StreamNew go to the shared
/// fan-out (one bounded buffer per client, the slow one cut off) and into the replay window.
/// Joining and publishing share one lock, so a joining client gets every record exactly once:
/// what it missed up to its subscription's start, then everything published after it.
/// </summary>
public sealed class RelayHub
{
    private readonly Lock _gate = new();
    private readonly FanOut<RelayedRecord> _fanOut;
    private readonly ReplayWindow _window;
    private long _clientsDropped;

    public RelayHub(IOptions<ReporterOptions> options, TimeProvider time)
    {
        _fanOut = new FanOut<RelayedRecord>(options.Value.ClientQueue);
        _window = new ReplayWindow(options.Value.ReplayWindowCount, TimeSpan.FromSeconds(options.Value.ReplayWindowSeconds), time);
        _fanOut.SubscriberDropped += () => Interlocked.Increment(ref _clientsDropped);
        Meter.CreateObservableGauge("reporter.clients.connected", () => ClientCount, description: "Connected WebSocket clients");
        Meter.CreateObservableCounter("reporter.clients.dropped", () => ClientsDropped, description: "WebSocket clients closed with 1013 for falling behind");
    }

    private static Meter Meter { get; } = new(AttendanceMeters.Name);

    public int ClientCount => _fanOut.Count;

    /// <summary>Clients cut off for falling behind since start (each then closed with 1013).</summary>
    public long ClientsDropped => Interlocked.Read(ref _clientsDropped);

    /// <summary>
    /// False until the reporter knows from where its copy of the feed is complete (it has not yet
    /// heard from attendance): a client resuming from a cursor must then come back a moment later.
    /// </summary>
    public bool CanResume
    {
        get
        {
            lock (_gate)
            {
                return _window.CoveredAfter is not null;
            }
        }
    }

    /// <summary>The upstream stream resumed after this position: every record after it will come.</summary>
    public void UpstreamResumedAfter(FeedCursor cursor)
    {
        lock (_gate)
        {
            _window.StartingAfter(cursor);
            if (_window.Last is null)
            {
                _fanOut.StartAfter(cursor);
            }
        }
    }

    public void Publish(RelayedRecord record)
    {
        lock (_gate)
        {
            _window.Add(record);
            _fanOut.Publish(record);
        }
    }

    /// <summary>Hands a notification to its recipient's open sockets now (not kept: missed ones are in GET /notifications).</summary>
    public void Notify(int recipientId, byte[] frame, DateTimeOffset receivedAt)
    {
        lock (_gate)
        {
            _fanOut.Publish(new RelayedRecord(_fanOut.Position, recipientId, frame, receivedAt) { Recipient = recipientId });
        }
    }

    /// <summary>Subscribes a client with this scope; with <paramref name="after"/>, also says what it missed.</summary>
    public Join Join(AccessScope scope, FeedCursor? after)
    {
        // Records and voids go to whoever may see that employee; a notification only to its recipient.
        bool Accepts(RelayedRecord record) => record.Recipient is { } recipient
            ? recipient == scope.EmployeeId
            : scope.Includes(record.EmployeeId);
        lock (_gate)
        {
            var live = _fanOut.Subscribe(Accepts);
            if (after is not { } cursor)
            {
                return new Join(live, [], null);
            }

            if (_window.After(cursor, Accepts) is { } missed)
            {
                return new Join(live, missed, null);
            }

            return _window.CoveredAfter is { } covered
                ? new Join(live, _window.After(covered, Accepts), covered)
                : new Join(live, null, null);
        }
    }

    /// <summary>Ends every client's subscription (on shutdown): their sockets close with 1001.</summary>
    public void CloseAll() => _fanOut.EndAll(new ReporterStoppingException());
}

/// <summary>The reporter is shutting down; clients reconnect (to another replica, or this one once back) with their cursor.</summary>
public sealed class ReporterStoppingException() : Exception("The reporter is shutting down.");
