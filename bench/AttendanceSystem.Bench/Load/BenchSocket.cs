using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AttendanceSystem.Bench.Load;

/// <summary>
/// One reporter WebSocket, as a browser holds it: connects with ?token=, waits for hello, then
/// notes the moment each record frame arrives (Stopwatch ticks, taken before parsing).
/// </summary>
public sealed class BenchSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Dictionary<long, long> _arrivals = [];
    private readonly Task _receiving;
    private int _unexpectedFrames;

    private BenchSocket(ClientWebSocket socket, int employeeId, bool admin)
    {
        _socket = socket;
        EmployeeId = employeeId;
        Admin = admin;
        _receiving = ReceiveAsync();
    }

    public int EmployeeId { get; }

    public bool Admin { get; }

    /// <summary>Frames other than hello and record (resync, say): a relay that fell behind.</summary>
    public int UnexpectedFrames => Volatile.Read(ref _unexpectedFrames);

    public int Received
    {
        get
        {
            lock (_arrivals)
            {
                return _arrivals.Count;
            }
        }
    }

    /// <summary>When the record with this id arrived (Stopwatch ticks), if it did.</summary>
    public bool TryGetArrival(long recordId, out long ticks)
    {
        lock (_arrivals)
        {
            return _arrivals.TryGetValue(recordId, out ticks);
        }
    }

    public static async Task<BenchSocket> ConnectAsync(Uri endpoint, string token, int employeeId, bool admin, HttpMessageInvoker invoker, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(new Uri(endpoint + "?token=" + Uri.EscapeDataString(token)), invoker, cancellationToken);
            // hello first: from then on the relay has this socket subscribed.
            var buffer = new byte[4096];
            var hello = await socket.ReceiveAsync(buffer, cancellationToken);
            if (!Encoding.UTF8.GetString(buffer, 0, hello.Count).Contains("\"hello\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The reporter's first frame was not hello: " + Encoding.UTF8.GetString(buffer, 0, hello.Count));
            }

            return new BenchSocket(socket, employeeId, admin);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                var arrived = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                ReadOnlySpan<byte> frame;
                if (result.EndOfMessage && message.Length == 0)
                {
                    frame = buffer.AsSpan(0, result.Count);
                }
                else
                {
                    message.Write(buffer, 0, result.Count);
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    frame = message.GetBuffer().AsSpan(0, (int)message.Length);
                }

                Note(frame, arrived);
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed under us (the bench is done with it, or the reporter dropped it): what arrived is what counts.
        }
    }

    private void Note(ReadOnlySpan<byte> frame, long arrived)
    {
        var reader = new Utf8JsonReader(frame);
        string? type = null;
        long? id = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.CurrentDepth == 2 && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.GetInt64();
            }
        }

        if (type == "record" && id is { } recordId)
        {
            lock (_arrivals)
            {
                _arrivals.TryAdd(recordId, arrived);
            }
        }
        else
        {
            Interlocked.Increment(ref _unexpectedFrames);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }
}

/// <summary>Many sockets at once, opened a batch at a time (as many browsers would arrive), closed together.</summary>
public sealed class SocketFleet : IAsyncDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan });

    public List<BenchSocket> Sockets { get; } = [];

    public async Task ConnectAsync(Uri endpoint, IReadOnlyList<(string Token, int EmployeeId, bool Admin)> people, CancellationToken cancellationToken)
    {
        const int AtOnce = 64;
        var results = new BenchSocket[people.Count];
        await Parallel.ForAsync(0, people.Count, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await BenchSocket.ConnectAsync(endpoint, people[i].Token, people[i].EmployeeId, people[i].Admin, _invoker, token));
        Sockets.AddRange(results);
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(Sockets, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (socket, _) => await socket.DisposeAsync());
        _invoker.Dispose();
    }
}
