using System.Net.Http.Headers;
using System.Net.Http.Json;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>The attendance service on real Kestrel: REST (HTTP/1.1) and gRPC (HTTP/2) on their own free ports.</summary>
public class AttendanceApp : ServiceApp<Program>
{
    public AttendanceApp()
    {
    }

    protected AttendanceApp(TestDatabase database) : base(database)
    {
    }

    /// <summary>A second attendance process on the same database, as a replica would be.</summary>
    public static AttendanceApp SharingDatabase(TestDatabase database) => new(database);

    protected override IDictionary<string, string?> Settings(string connectionString)
    {
        var settings = base.Settings(connectionString);
        Adjust(settings);
        return settings;
    }

    /// <summary>Lets a variant change settings for its own test class.</summary>
    protected virtual void Adjust(IDictionary<string, string?> settings)
    {
    }

    private readonly int _restPort = FreePort();
    private readonly int _grpcPort = FreePort();
    private GrpcChannel? _channel;

    protected override string DatabasePrefix => "attendance";

    public Uri RestAddress => new($"http://127.0.0.1:{_restPort}");

    public Uri GrpcAddress => new($"http://127.0.0.1:{_grpcPort}");

    protected override void ConfigureEndpoints(IWebHostBuilder builder)
    {
        builder.UseSetting("Kestrel:Endpoints:Http:Url", RestAddress.ToString());
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", GrpcAddress.ToString());
    }

    public override HttpClient CreateClient() => new() { BaseAddress = RestAddress };

    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(GrpcAddress);

    public AttendanceService.AttendanceServiceClient Grpc => new(Channel);

    public async Task ResetAsync() => await Database.ResetAsync();

    /// <summary>An employee in the database and a token for them, as auth would issue it (no password unless a hash is given).</summary>
    public async Task<Person> CreatePersonAsync(string username, string role = "employee", string passwordHash = "not-a-login")
    {
        var id = await Database.ScalarAsync<int>(
            "INSERT INTO employees (username, password_hash, role) VALUES ($1, $3, $2) RETURNING id", username, role, passwordHash);
        var token = Services.GetRequiredService<JwtTokenIssuer>().Issue(id, username, role).Token;
        return new Person(id, username, token);
    }

    /// <summary>The reporter's kind of token: role service, no employee.</summary>
    public string ServiceToken() => Services.GetRequiredService<JwtTokenIssuer>().Issue(0, "reporter", Roles.Service).Token;

    public override async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await base.DisposeAsync();
    }
}

public sealed record Person(int Id, string Username, string Token);

public static class Http
{
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? token,
        object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body, options: HttpAssertions.Json);
        }

        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PunchAsync(this HttpClient client, Person person, string action,
        string? timestamp = null, string? key = null) =>
        client.SendAsync(HttpMethod.Post, "/attendance", person.Token,
            timestamp is null ? new { action } : new { action, timestamp }, key);
}
