extern alias attendance;

using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Reporter.Tests;

/// <summary>Attendance on fixed loopback ports, so it can be stopped and started again where the reporter expects it.</summary>
public sealed class AttendanceHost(TestDatabase database, int restPort, int grpcPort) : ServiceApp<attendance::Program>(database)
{
    protected override string DatabasePrefix => "relay";

    public Uri RestAddress => new($"http://127.0.0.1:{restPort}");

    protected override void ConfigureEndpoints(IWebHostBuilder builder)
    {
        builder.UseSetting("Kestrel:Endpoints:Http:Url", RestAddress.ToString());
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", $"http://127.0.0.1:{grpcPort}");
    }

    public override HttpClient CreateClient() => new() { BaseAddress = RestAddress };
}

/// <summary>The reporter, reading from <paramref name="grpcPort"/>.</summary>
public sealed class ReporterHost(TestDatabase database, int grpcPort, IDictionary<string, string?>? extra = null)
    : ServiceApp<Program>(database)
{
    private readonly int _port = FreePort();

    protected override string DatabasePrefix => "relay";

    public Uri SocketAddress => new($"ws://127.0.0.1:{_port}/ws");

    /// <summary>Every log event the reporter wrote, as rendered text with its properties.</summary>
    public CapturedLog Log { get; } = new();

    protected override void ConfigureEndpoints(IWebHostBuilder builder)
    {
        builder.UseSetting("Kestrel:Endpoints:Http:Url", $"http://127.0.0.1:{_port}");
        builder.ConfigureServices(services => services.AddSingleton<Serilog.Core.ILogEventSink>(Log));
    }

    public override HttpClient CreateClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

    protected override IDictionary<string, string?> Settings(string connectionString)
    {
        var settings = base.Settings(connectionString);
        settings["ATTENDANCE_GRPC_URL"] = $"http://127.0.0.1:{grpcPort}";
        settings["REPLAY_WINDOW_COUNT"] = RelaySystem.ReplayWindow.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["WS_CLIENT_QUEUE"] = RelaySystem.ClientQueue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Waits until the reporter reads attendance's feed (its readiness).</summary>
    public async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync("/health/ready", timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}

/// <summary>
/// A real attendance service and a real reporter on one PostgreSQL database, for one test class.
/// Attendance can be stopped and started again mid-test.
/// </summary>
public sealed class RelaySystem : IAsyncLifetime
{
    public const int ReplayWindow = 200;
    public const int ClientQueue = 4096;

    private readonly int _restPort = ServiceApp<Program>.FreePort();
    private readonly int _grpcPort = ServiceApp<Program>.FreePort();

    public TestDatabase Database { get; private set; } = null!;

    public AttendanceHost Attendance { get; private set; } = null!;

    public ReporterHost Reporter { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgresServer.CreateDatabaseAsync("relay");
        await StartAttendanceAsync();
        Reporter = await StartReporterAsync();
    }

    public async Task StartAttendanceAsync()
    {
        Attendance = new AttendanceHost(Database, _restPort, _grpcPort);
        await ((IAsyncLifetime)Attendance).InitializeAsync();
    }

    public Task StopAttendanceAsync() => Attendance.DisposeAsync().AsTask();

    public async Task<ReporterHost> StartReporterAsync(IDictionary<string, string?>? extra = null)
    {
        var reporter = new ReporterHost(Database, _grpcPort, extra);
        await ((IAsyncLifetime)reporter).InitializeAsync();
        await reporter.WaitUntilReadyAsync();
        return reporter;
    }

    /// <summary>An employee in the database, and a token for them as auth would issue it.</summary>
    public async Task<Person> CreatePersonAsync(string role = "employee", TimeSpan? lifetime = null)
    {
        var username = $"{role[..3]}-{Guid.NewGuid():N}"[..20];
        var id = await Database.ScalarAsync<int>(
            "INSERT INTO employees (username, password_hash, role) VALUES ($1, 'x', $2) RETURNING id", username, role);
        var token = Attendance.Services.GetRequiredService<JwtTokenIssuer>().Issue(id, username, role, lifetime).Token;
        return new Person(id, username, token);
    }

    public async Task<long> PunchAsync(Person person, string action)
    {
        using var client = Attendance.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/attendance") { Content = JsonContent.Create(new { action }) };
        request.Headers.Authorization = new("Bearer", person.Token);
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>A void applied by <paramref name="approver"/> to <paramref name="employee"/>'s record, through attendance's REST API; its correction id.</summary>
    public async Task<long> VoidAsync(Person approver, Person employee, long recordId)
    {
        using var client = Attendance.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/attendance/corrections")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["employee_id"] = employee.Id, ["kind"] = "void", ["record_id"] = recordId, ["reason"] = "punched by mistake", ["apply"] = true,
            }),
        };
        request.Headers.Authorization = new("Bearer", approver.Token);
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync()
    {
        await Reporter.DisposeAsync();
        await Attendance.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed record Person(int Id, string Username, string Token);

/// <summary>A Serilog sink that keeps every event's full text (message, properties, exception).</summary>
public sealed class CapturedLog : Serilog.Core.ILogEventSink
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Emit(Serilog.Events.LogEvent logEvent) => _lines.Enqueue(string.Join(" | ",
        logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture),
        string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}")),
        logEvent.Exception?.ToString() ?? ""));
}

/// <summary>A real WebSocket client that reads JSON frames.</summary>
public sealed class SocketClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;

    private SocketClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public static async Task<SocketClient> ConnectAsync(Uri address, string? token, string? after = null,
        string? origin = null, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var query = token is null ? "" : "?token=" + Uri.EscapeDataString(token);
        if (after is not null)
        {
            query += (query.Length == 0 ? "?" : "&") + "after=" + Uri.EscapeDataString(after);
        }

        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(new Uri(address + query), invoker, timeout.Token);
        return new SocketClient(socket);
    }

    /// <summary>The HTTP status a refused handshake got.</summary>
    public static async Task<System.Net.HttpStatusCode> RefusedStatusAsync(Uri address, string? token, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var query = token is null ? "" : "?token=" + Uri.EscapeDataString(token);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(address + query), CancellationToken.None));
        return socket.HttpStatusCode;
    }

    /// <summary>The next JSON frame, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? Patience);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement;
            }
        }
    }

    /// <summary>Reads frames until a record frame comes (skipping none: asserts the type).</summary>
    public async Task<JsonElement> ReceiveRecordAsync()
    {
        var frame = await ReceiveAsync() ?? throw new InvalidOperationException($"socket closed ({CloseStatus})");
        Assert.Equal("record", frame.GetProperty("type").GetString());
        return frame;
    }

    /// <summary>True when no frame arrives within a short wait.</summary>
    public async Task<bool> QuietAsync()
    {
        try
        {
            var frame = await ReceiveAsync(TimeSpan.FromMilliseconds(500));
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Reads until the server closes; returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> ReadUntilClosedAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        var buffer = new byte[64 * 1024];
        while (_socket.State == WebSocketState.Open)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close, as a browser does.
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                break;
            }
        }

        return _socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }

        _socket.Dispose();
    }
}
