using System.Diagnostics.Metrics;
using AttendanceSystem.Protos;
using AttendanceSystem.Reporter.Sockets;
using AttendanceSystem.ServiceDefaults.Observability;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter.Relay;

/// <summary>What a joining client missed, and the newest position it has been given.</summary>
public sealed record Join(List<RelayedRecord>? Missed, FeedCursor? ReadFromDatabaseUpTo, FeedCursor? Last);

/// <summary>
/// Fans each record out to the connected clients allowed to see it, and keeps the replay window.
/// Joining and publishing share one lock, so a joining client gets every record exactly once:
/// the replay up to the window's last record, then everything published after it.
/// </summary>
public sealed class RelayHub
{
    private readonly Lock _gate = new();
    private readonly List<ClientConnection> _clients = [];
    private readonly ReplayWindow _window;

    public RelayHub(IOptions<ReporterOptions> options, TimeProvider time)
    {
        _window = new ReplayWindow(options.Value.ReplayWindowCount, TimeSpan.FromSeconds(options.Value.ReplayWindowSeconds), time);
        Meter.CreateObservableGauge("reporter.clients.connected", () => ClientCount, description: "Connected WebSocket clients");
    }

    private static Meter Meter { get; } = new(AttendanceMeters.Name);

    public int ClientCount
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

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
        }
    }

    public void Publish(RelayedRecord record)
    {
        lock (_gate)
        {
            _window.Add(record);
            foreach (var client in _clients)
            {
                if (client.Accepts(record.EmployeeId))
                {
                    client.Enqueue(record);
                }
            }
        }
    }

    /// <summary>
    /// Adds a client; live records follow through its queue. With <paramref name="after"/>, also says
    /// what it missed: the window's records, and when the window does not reach back that far, the
    /// range (after, <see cref="Join.ReadFromDatabaseUpTo"/>] to read from the table first. Missed
    /// is null when not even that is known (the reporter has not yet heard from attendance).
    /// </summary>
    public Join Join(ClientConnection client, FeedCursor? after)
    {
        lock (_gate)
        {
            _clients.Add(client);
            if (after is not { } cursor)
            {
                return new Join([], null, _window.Last);
            }

            bool Accepts(RelayedRecord r) => client.Accepts(r.EmployeeId);
            if (_window.After(cursor, Accepts) is { } missed)
            {
                return new Join(missed, null, _window.Last);
            }

            return _window.CoveredAfter is { } covered
                ? new Join(_window.After(covered, Accepts), covered, _window.Last)
                : new Join(null, null, _window.Last);
        }
    }

    public void Leave(ClientConnection client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }

    /// <summary>Asks every client to close (on shutdown).</summary>
    public void CloseAll(System.Net.WebSockets.WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.End(status, reason);
            }
        }
    }
}
