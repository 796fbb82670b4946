using System.Net.WebSockets;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Streaming;

namespace AttendanceSystem.Reporter.Sockets;

/// <summary>
/// One WebSocket client's send loop: the hello frame, then its frames (catch-up, then live) as they
/// come. A client whose buffer overflows is closed with 1013 instead of slowing anyone else; an
/// expired token ends the socket with 1008; shutdown with 1001.
/// </summary>
public sealed class ClientConnection(WebSocket socket) : IDisposable
{
    /// <summary>1013 "try again later": the enum has no name for it.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _end = new();
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "bye";
    private int _ended;

    /// <summary>Ends the connection once, with the first reason given.</summary>
    public void End(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        _end.Cancel();
    }

    /// <summary>Sends <paramref name="hello"/>, then every frame of <paramref name="frames"/>, until the connection ends.</summary>
    public async Task RunAsync(byte[] hello, Func<CancellationToken, IAsyncEnumerable<RelayedRecord>> frames,
        DateTimeOffset tokenExpires, TimeProvider time)
    {
        var untilExpiry = tokenExpires - time.GetUtcNow();
        using var expiry = new Timer(_ => End(WebSocketCloseStatus.PolicyViolation, "token expired"), null,
            untilExpiry > TimeSpan.Zero ? untilExpiry : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        var receiving = ReceiveUntilClosedAsync();
        try
        {
            await SendAsync(hello);
            await foreach (var record in frames(_end.Token))
            {
                await SendAsync(record.Frame);
            }
        }
        catch (OperationCanceledException) when (_end.IsCancellationRequested)
        {
        }
        catch (SubscriberTooSlowException)
        {
            End(TryAgainLater, "too slow: reconnect with your last cursor");
        }
        catch (ReporterStoppingException)
        {
            End(WebSocketCloseStatus.EndpointUnavailable, "server going away");
        }
        catch (CatchUpUnavailableException)
        {
            // Already upgraded: say "try again later" the WebSocket way; the client resumes from the same cursor.
            End(TryAgainLater, "attendance unavailable: reconnect with your cursor");
        }
        catch (WebSocketException)
        {
            // The peer is gone; nothing left to tell it.
            return;
        }

        await CloseAsync(receiving);
    }

    private Task SendAsync(byte[] frame) =>
        socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task CloseAsync(Task receiving)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
            }

            await receiving.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            socket.Abort();
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
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
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

/// <summary>A resuming client's missed records could not be fetched from attendance right now.</summary>
public sealed class CatchUpUnavailableException(Exception inner)
    : Exception("Attendance could not be reached to catch the client up.", inner);
