using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using AttendanceSystem.Protos;
using AttendanceSystem.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>
/// What ends a sign-in ends it everywhere within 5 s: with two replicas of attendance and of the
/// reporter, each revocation is followed by a REST 401 on both, the open gRPC streams ending
/// UNAUTHENTICATED on both, and the open WebSockets closing with 1008 "token revoked" on both.
/// </summary>
public sealed class RevocationTests(RunningSystem system, ITestOutputHelper output) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Logout_password_role_change_and_deactivation_end_tokens_streams_and_sockets_on_every_replica()
    {
        var restPort = LoopbackPort.Free();
        var grpcPort = LoopbackPort.Free();
        var reporterPort = LoopbackPort.Free();
        await using var attendance2 = RunningSystem.StartAttendance(system.Database.ConnectionString, restPort, grpcPort);
        await attendance2.WaitUntilReadyAsync();
        await using var reporter2 = RunningSystem.StartReporter(system.Database.ConnectionString, reporterPort, grpcPort);
        await reporter2.WaitUntilReadyAsync();
        using var rest2 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") };
        using var channel2 = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var replicas = new[]
        {
            (Http: system.Attendance, Grpc: system.Grpc, Socket: system.Socket),
            (Http: rest2, Grpc: new AttendanceService.AttendanceServiceClient(channel2), Socket: new Uri($"ws://127.0.0.1:{reporterPort}/ws")),
        };
        var admin = await SignInAsync(RunningSystem.AdminUsername, RunningSystem.AdminPassword);

        var revocations = new (string Name, string Reason, Func<Session, Task<HttpStatusCode>> Revoke)[]
        {
            ("logout", "logged out", person => SendAsync(HttpMethod.Post, "/logout", person.Access)),
            ("password change", "password changed", person => SendAsync(HttpMethod.Post, "/me/password", person.Access,
                new { current_password = "correct-horse", new_password = "battery-staple" })),
            ("role change", "role changed", person => SendAsync(HttpMethod.Put, $"/employees/{person.Id}/role", admin.Access, new { role = "manager" })),
            ("deactivation", "account deactivated", person => SendAsync(HttpMethod.Post, $"/employees/{person.Id}/deactivate", admin.Access)),
        };

        foreach (var (name, reason, revoke) in revocations)
        {
            var person = await RegisterAsync($"rev-{name.Replace(' ', '-')}");
            var streams = replicas.Select(r => StreamUntilEndAsync(r.Grpc, person)).ToList();
            var sockets = new List<Task<(WebSocketCloseStatus?, string?)>>();
            foreach (var replica in replicas)
            {
                sockets.Add(await SocketUntilClosedAsync(replica.Socket, person.Access));
            }

            foreach (var replica in replicas)
            {
                using var before = await replica.Http.SendAsync(RunningSystem.Request(HttpMethod.Get, $"/attendance/{person.Id}", person.Access));
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            var revokedAt = DateTime.UtcNow;
            Assert.True((await revoke(person)) is HttpStatusCode.NoContent or HttpStatusCode.OK, name);

            foreach (var replica in replicas)
            {
                var detail = await RefusedWithinAsync(replica.Http, $"/attendance/{person.Id}", person.Access, revokedAt);
                Assert.Contains(reason, detail, StringComparison.Ordinal);
            }

            foreach (var stream in streams)
            {
                var ended = await stream.WaitAsync(Deadline);
                Assert.Equal(StatusCode.Unauthenticated, ended.StatusCode);
                Assert.Contains("token revoked", ended.Status.Detail, StringComparison.Ordinal);
            }

            foreach (var socket in sockets)
            {
                var (status, description) = await socket.WaitAsync(Deadline);
                Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
                Assert.Equal("token revoked", description);
            }

            output.WriteLine($"{name}: refused everywhere {(DateTime.UtcNow - revokedAt).TotalMilliseconds:0} ms after the answer");
        }
    }

    private sealed record Session(int Id, string Access, string Refresh);

    private async Task<Session> RegisterAsync(string username)
    {
        using var response = await system.Auth.PostAsJsonAsync("/register", new { username, password = "correct-horse" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new Session(body.GetProperty("employee_id").GetInt32(), body.GetProperty("token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    private async Task<Session> SignInAsync(string username, string password)
    {
        using var response = await system.Auth.PostAsJsonAsync("/login", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new Session(body.GetProperty("employee_id").GetInt32(), body.GetProperty("token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var response = await system.Auth.SendAsync(RunningSystem.Request(method, path, token, body));
        return response.StatusCode;
    }

    private static async Task<string> RefusedWithinAsync(HttpClient rest, string path, string token, DateTime since)
    {
        while (true)
        {
            using var response = await rest.SendAsync(RunningSystem.Request(HttpMethod.Get, path, token));
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return await response.Content.ReadAsStringAsync();
            }

            Assert.True(DateTime.UtcNow - since < Deadline, $"{rest.BaseAddress}{path} still answered {(int)response.StatusCode} after {Deadline.TotalSeconds} s");
            await Task.Delay(25);
        }
    }

    /// <summary>Opens the person's own live stream and waits for it to end; the RpcException it ends with.</summary>
    private static async Task<RpcException> StreamUntilEndAsync(AttendanceService.AttendanceServiceClient client, Session person)
    {
        using var call = client.StreamNew(new StreamRequest { Jwt = person.Access, EmployeeId = person.Id });
        await call.ResponseHeadersAsync;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }
        catch (RpcException ended)
        {
            return ended;
        }

        throw new InvalidOperationException("the stream ended without a status");
    }

    /// <summary>Connects (the hello arrives) and returns a task that completes with how the server closed the socket.</summary>
    private static async Task<Task<(WebSocketCloseStatus?, string?)>> SocketUntilClosedAsync(Uri address, string token)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(address + "?token=" + Uri.EscapeDataString(token)), CancellationToken.None);
        var buffer = new byte[16 * 1024];
        var hello = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Text, hello.MessageType);
        return Task.Run(async () =>
        {
            using (socket)
            {
                while (true)
                {
                    var frame = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (frame.MessageType == WebSocketMessageType.Close)
                    {
                        return (socket.CloseStatus, socket.CloseStatusDescription);
                    }
                }
            }
        });
    }
}
