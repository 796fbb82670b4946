using System.Net.WebSockets;
using System.Threading.Channels;
using AttendanceSystem.Protos;
using AttendanceSystem.Reporter.Relay;

namespace AttendanceSystem.Reporter.Sockets;

/// <summary>
/// One WebSocket client: a bounded queue filled by the hub and one send loop draining it. A client
/// whose queue overflows is closed with 1013 instead of slowing anyone else; an expired token ends
/// the socket with 1008; shutdown with 1001.
/// </summary>
public sealed class ClientConnection : IDisposable
{
    /// <summary>1013 "try again later": the enum has no name for it.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly int _employeeId;
    private readonly bool _seesEveryone;
    private readonly Channel<RelayedRecord> _queue;
    private readonly CancellationTokenSource _end = new();
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "bye";
    private int _ended;

    public ClientConnection(WebSocket socket, int employeeId, bool seesEveryone, int queueCapacity)
    {
        _socket = socket;
        _employeeId = employeeId;
        _seesEveryone = seesEveryone;
        _queue = Channel.CreateBounded<RelayedRecord>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Employees see their own records; admins and service tokens see everyone's.</summary>
    public bool Accepts(int employeeId) => _seesEveryone || employeeId == _employeeId;

    /// <summary>Called under the hub's lock: never blocks.</summary>
    public void Enqueue(RelayedRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            End(TryAgainLater, "too slow: reconnect with your last cursor");
        }
    }

    /// <summary>Ends the connection once, with the first reason given.</summary>
    public void End(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        _queue.Writer.TryComplete();
        _end.Cancel();
    }

    /// <summary>Sends <paramref name="first"/> frames, then live records after <paramref name="last"/>, until the connection ends.</summary>
    public async Task RunAsync(IEnumerable<byte[]> first, FeedCursor? last, DateTimeOffset tokenExpires, TimeProvider time)
    {
        var untilExpiry = tokenExpires - time.GetUtcNow();
        using var expiry = new Timer(_ => End(WebSocketCloseStatus.PolicyViolation, "token expired"), null,
            untilExpiry > TimeSpan.Zero ? untilExpiry : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        var receiving = ReceiveUntilClosedAsync();
        try
        {
            foreach (var frame in first)
            {
                await SendAsync(frame);
            }

            await foreach (var record in _queue.Reader.ReadAllAsync(_end.Token))
            {
                if (last is null || record.Cursor > last)
                {
                    await SendAsync(record.Frame);
                }
            }
        }
        catch (OperationCanceledException) when (_end.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
            // The peer is gone; nothing left to tell it.
            return;
        }

        await CloseAsync(receiving);
    }

    private Task SendAsync(byte[] frame) =>
        _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task CloseAsync(Task receiving)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
            }

            await receiving.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Reads (and ignores) what the client sends, so pings and the closing handshake are processed.</summary>
    private async Task ReceiveUntilClosedAsync()
    {
        // Clients have nothing to say but pongs and close; a small buffer, times every open socket, matters more.
        var buffer = new byte[64];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    End(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            End(WebSocketCloseStatus.NormalClosure, "connection lost");
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _end.Dispose();
}
