using System.Net.Http.Headers;
using System.Net.Http.Json;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Testing;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>The three services as real processes on one database, the way scripts/run.sh runs them.</summary>
public sealed class RunningSystem : IAsyncLifetime
{
    public const string AdminUsername = "boss";
    public const string AdminPassword = "boss-password-123";

    private readonly List<ServiceProcess> _processes = [];
    private GrpcChannel? _channel;

    public TestDatabase Database { get; private set; } = null!;

    public int AuthPort { get; } = LoopbackPort.Free();

    public int RestPort { get; } = LoopbackPort.Free();

    public int GrpcPort { get; } = LoopbackPort.Free();

    public int ReporterPort { get; } = LoopbackPort.Free();

    public HttpClient Auth { get; private set; } = null!;

    public HttpClient Attendance { get; private set; } = null!;

    public AttendanceService.AttendanceServiceClient Grpc => new(_channel ??= GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}"));

    public Uri Socket => new($"ws://127.0.0.1:{ReporterPort}/ws");

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    /// <summary>Everything every process printed.</summary>
    public string Log => string.Join('\n', _processes.Select(p => p.Output));

    public static JwtTokenIssuer Issuer { get; } = new(Options.Create(new JwtOptions
    {
        Secret = ServiceApp<object>.JwtSecret,
        Issuer = ServiceApp<object>.JwtIssuer,
        Audience = ServiceApp<object>.JwtAudience,
    }), TimeProvider.System);

    public static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["DATABASE_CONNECTION_STRING"] = connectionString,
        ["JWT_SECRET"] = ServiceApp<object>.JwtSecret,
        ["BCRYPT_WORK_FACTOR"] = "11",
        ["ADMIN_USERNAME"] = AdminUsername,
        ["ADMIN_PASSWORD"] = AdminPassword,
        ["LOGIN_MAX_FAILURES_PER_ADDRESS"] = "100000",
        ["LOG_LEVEL"] = "Debug",
    };

    public static ServiceProcess StartAuth(string connectionString, int port) =>
        ServiceProcess.Start("Auth", "AttendanceSystem.Auth", port, new Dictionary<string, string?>(Settings(connectionString))
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}",
        });

    public static ServiceProcess StartAttendance(string connectionString, int restPort, int grpcPort) =>
        ServiceProcess.Start("Attendance", "AttendanceSystem.Attendance", restPort, new Dictionary<string, string?>(Settings(connectionString))
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{restPort}",
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
        });

    public static ServiceProcess StartReporter(string connectionString, int port, int attendanceGrpcPort) =>
        ServiceProcess.Start("Reporter", "AttendanceSystem.Reporter", port, new Dictionary<string, string?>(Settings(connectionString))
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}",
            ["ATTENDANCE_GRPC_URL"] = $"http://127.0.0.1:{attendanceGrpcPort}",
        });

    public async Task InitializeAsync()
    {
        Database = await PostgresServer.CreateDatabaseAsync("system");
        var auth = StartAuth(Database.ConnectionString, AuthPort);
        _processes.Add(auth);
        await auth.WaitUntilReadyAsync(); // migrates the fresh database first
        var attendance = StartAttendance(Database.ConnectionString, RestPort, GrpcPort);
        _processes.Add(attendance);
        await attendance.WaitUntilReadyAsync();
        var reporter = StartReporter(Database.ConnectionString, ReporterPort, GrpcPort);
        _processes.Add(reporter);
        await reporter.WaitUntilReadyAsync();
        Auth = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{AuthPort}") };
        Attendance = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{RestPort}") };
    }

    /// <summary>A person in the database and a token as auth would issue it.</summary>
    public async Task<Person> CreatePersonAsync(string role = "employee")
    {
        var username = $"{role[..3]}-{Guid.NewGuid():N}"[..20];
        var id = await Database.ScalarAsync<int>(
            "INSERT INTO employees (username, password_hash, role) VALUES ($1, 'x', $2) RETURNING id", username, role);
        return new Person(id, username, Issuer.Issue(id, username, role).Token);
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body);
        }

        return request;
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        Auth?.Dispose();
        Attendance?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}

public sealed record Person(int Id, string Username, string Token);
