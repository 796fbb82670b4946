using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>A WebSocket client that collects every record frame it receives, and can reconnect from its last cursor.</summary>
public sealed class SocketReader : IAsyncDisposable
{
    private readonly Uri _address;
    private readonly string _token;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SocketReader(Uri address, string token)
    {
        _address = address;
        _token = token;
    }

    public List<(long Id, string Cursor)> Records { get; } = [];

    public string? LastCursor { get; private set; }

    public int Reconnects { get; private set; }

    public WebSocketCloseStatus? LastCloseStatus { get; private set; }

    /// <summary>Reads until stopped, reconnecting with the last cursor whenever the socket drops.</summary>
    public SocketReader Start()
    {
        _loop = Task.Run(RunAsync);
        return this;
    }

    public int Count
    {
        get
        {
            lock (Records)
            {
                return Records.Count;
            }
        }
    }

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private async Task RunAsync()
    {
        var buffer = new byte[64 * 1024];
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            try
            {
                var query = "?token=" + Uri.EscapeDataString(_token) + (LastCursor is null ? "" : "&after=" + Uri.EscapeDataString(LastCursor));
                await socket.ConnectAsync(new Uri(_address + query), _stop.Token);
                using var message = new MemoryStream();
                while (!_stop.IsCancellationRequested)
                {
                    var result = await socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        LastCloseStatus = result.CloseStatus;
                        break;
                    }

                    message.Write(buffer, 0, result.Count);
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    var frame = JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement;
                    message.SetLength(0);
                    var type = frame.GetProperty("type").GetString();
                    if (type == "record")
                    {
                        var cursor = frame.GetProperty("cursor").GetString()!;
                        lock (Records)
                        {
                            Records.Add((frame.GetProperty("record").GetProperty("id").GetInt64(), cursor));
                        }

                        LastCursor = cursor;
                    }
                    else if (type == "hello" && LastCursor is null)
                    {
                        LastCursor = frame.GetProperty("cursor").GetString() is { Length: > 0 } start ? start : null;
                    }
                    else if (type == "resync")
                    {
                        throw new InvalidOperationException("resync: the replay window did not reach back to " + LastCursor);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException)
            {
            }

            if (!_stop.IsCancellationRequested)
            {
                Reconnects++;
                await Task.Delay(200).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }
}
