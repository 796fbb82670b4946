using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using AttendanceSystem.Testing;
using AttendanceSystem.Data.Teams;
using AttendanceSystem.Reporter.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Reporter.Tests;

public sealed class RelayTests(RelaySystem system) : IClassFixture<RelaySystem>
{
    private Uri Socket => system.Reporter.SocketAddress;

    private static async Task<string> HelloAsync(SocketClient client, int employeeId, string role)
    {
        var hello = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed before hello");
        Assert.Equal("hello", hello.GetProperty("type").GetString());
        Assert.Equal(employeeId, hello.GetProperty("employee_id").GetInt32());
        Assert.Equal(role, hello.GetProperty("role").GetString());
        return hello.GetProperty("cursor").GetString()!;
    }

    [Fact]
    public async Task A_punch_made_through_rest_arrives_as_a_record_frame()
    {
        var emp = await system.CreatePersonAsync();
        await using var client = await SocketClient.ConnectAsync(Socket, emp.Token);
        await HelloAsync(client, emp.Id, "employee");

        var id = await system.PunchAsync(emp, "in");

        var frame = await client.ReceiveRecordAsync();
        var record = frame.GetProperty("record");
        Assert.Equal(id, record.GetProperty("id").GetInt64());
        Assert.Equal(emp.Id, record.GetProperty("employee_id").GetInt32());
        Assert.Equal(emp.Username, record.GetProperty("username").GetString());
        Assert.Equal("in", record.GetProperty("action").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", record.GetProperty("timestamp").GetString()!);
        Assert.False(string.IsNullOrEmpty(frame.GetProperty("cursor").GetString()));
    }

    [Fact]
    public async Task Employees_get_only_their_own_records_and_admins_get_everyones()
    {
        var alice = await system.CreatePersonAsync();
        var bob = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        await using var aliceSocket = await SocketClient.ConnectAsync(Socket, alice.Token);
        await using var bobSocket = await SocketClient.ConnectAsync(Socket, bob.Token);
        await using var adminSocket = await SocketClient.ConnectAsync(Socket, admin.Token);
        await HelloAsync(aliceSocket, alice.Id, "employee");
        await HelloAsync(bobSocket, bob.Id, "employee");
        await HelloAsync(adminSocket, admin.Id, "admin");

        var aliceId = await system.PunchAsync(alice, "in");
        var bobId = await system.PunchAsync(bob, "in");

        Assert.Equal(aliceId, (await aliceSocket.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        Assert.Equal(bobId, (await bobSocket.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        Assert.Equal(aliceId, (await adminSocket.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        Assert.Equal(bobId, (await adminSocket.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        Assert.True(await aliceSocket.QuietAsync(), "alice must not receive bob's record");
        Assert.True(await bobSocket.QuietAsync(), "bob must not receive alice's record");
    }

    [Fact]
    public async Task A_manager_gets_their_teams_records_and_a_new_member_without_reconnecting()
    {
        var manager = await system.CreatePersonAsync("manager");
        var member = await system.CreatePersonAsync();
        var newcomer = await system.CreatePersonAsync();
        var team = await system.Database.ScalarAsync<int>(
            "INSERT INTO teams (name, manager_id) VALUES ($1, $2) RETURNING id", $"team-{manager.Id}", manager.Id);
        await system.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1 WHERE id = $2", team, member.Id);
        var directory = system.Reporter.Services.GetRequiredService<TeamDirectory>();
        await WaitUntilAsync(() => directory.Manages(manager.Id, member.Id));
        await using var socket = await SocketClient.ConnectAsync(Socket, manager.Token);
        await HelloAsync(socket, manager.Id, "manager");

        // Records are relayed in order: the member's punch arriving first means the newcomer's, before it, was left out.
        var beforeJoining = await system.PunchAsync(newcomer, "in");
        var memberPunch = await system.PunchAsync(member, "in");
        Assert.Equal(memberPunch, (await socket.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());

        await system.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1 WHERE id = $2", team, newcomer.Id);
        await WaitUntilAsync(() => directory.Manages(manager.Id, newcomer.Id));
        var afterJoining = await system.PunchAsync(newcomer, "out");

        Assert.Equal(afterJoining, (await socket.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        Assert.NotEqual(beforeJoining, afterJoining);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Missing_bad_and_expired_tokens_are_refused_with_401_before_the_upgrade()
    {
        var expired = await system.CreatePersonAsync(lifetime: TimeSpan.FromMinutes(-5));

        Assert.Equal(HttpStatusCode.Unauthorized, await SocketClient.RefusedStatusAsync(Socket, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await SocketClient.RefusedStatusAsync(Socket, "not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SocketClient.RefusedStatusAsync(Socket, expired.Token));
    }

    [Fact]
    public async Task Deactivation_closes_the_open_socket_with_1008_and_the_token_is_refused_afterwards()
    {
        var emp = await system.CreatePersonAsync();
        await using var client = await SocketClient.ConnectAsync(Socket, emp.Token);
        await HelloAsync(client, emp.Id, "employee");

        await system.Database.ScalarAsync<object>("UPDATE employees SET active = false WHERE id = $1", emp.Id);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("token revoked", client.CloseStatusDescription);
        Assert.Equal(HttpStatusCode.Unauthorized, await SocketClient.RefusedStatusAsync(Socket, emp.Token));
    }

    [Fact]
    public async Task A_foreign_browser_origin_is_refused_and_the_client_origin_is_allowed()
    {
        var emp = await system.CreatePersonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await SocketClient.RefusedStatusAsync(Socket, emp.Token, "http://evil.example"));
        using (var http = system.Reporter.CreateClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/ws?token=" + emp.Token))
        {
            request.Headers.Add("Origin", "http://evil.example");
            using var refused = await http.SendAsync(request);
            var detail = await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("http://evil.example", detail, StringComparison.Ordinal);
            Assert.Contains("CORS_ORIGINS", detail, StringComparison.Ordinal);
        }

        await using var fromClientPage = await SocketClient.ConnectAsync(Socket, emp.Token, origin: "http://127.0.0.1:5500");
        await HelloAsync(fromClientPage, emp.Id, "employee");
    }

    [Fact]
    public async Task Plain_http_and_bad_cursors_get_400_problem_details()
    {
        var emp = await system.CreatePersonAsync();
        using var http = system.Reporter.CreateClient();

        using var plain = await http.GetAsync("/ws?token=" + emp.Token);
        var refusedCursor = await Assert.ThrowsAsync<WebSocketException>(() =>
            SocketClient.ConnectAsync(Socket, emp.Token, after: "not-a-cursor"));

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Contains("400", refusedCursor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconnecting_with_the_last_cursor_delivers_exactly_the_missed_records()
    {
        var emp = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        await using var watcher = await SocketClient.ConnectAsync(Socket, admin.Token);
        await HelloAsync(watcher, admin.Id, "admin");
        string cursor;
        await using (var first = await SocketClient.ConnectAsync(Socket, emp.Token))
        {
            await HelloAsync(first, emp.Id, "employee");
            await system.PunchAsync(emp, "in");
            cursor = (await first.ReceiveRecordAsync()).GetProperty("cursor").GetString()!;
        }

        var missed = new[] { await system.PunchAsync(emp, "out"), await system.PunchAsync(emp, "in") };
        await WaitForRelayAsync(watcher, missed[^1]);

        await using var again = await SocketClient.ConnectAsync(Socket, emp.Token, after: cursor);
        await HelloAsync(again, emp.Id, "employee");
        var replayed = new[] { await again.ReceiveRecordAsync(), await again.ReceiveRecordAsync() };
        var live = await system.PunchAsync(emp, "out");
        var next = await again.ReceiveRecordAsync();

        Assert.Equal(missed, replayed.Select(f => f.GetProperty("record").GetProperty("id").GetInt64()));
        Assert.Equal(live, next.GetProperty("record").GetProperty("id").GetInt64());
        Assert.True(await again.QuietAsync(), "each record once");
    }

    [Fact]
    public async Task After_the_reporter_restarts_a_client_resumes_from_its_cursor_without_a_gap()
    {
        var emp = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        string cursor;
        var before = await system.StartReporterAsync();
        await using (var client = await SocketClient.ConnectAsync(before.SocketAddress, admin.Token))
        {
            await HelloAsync(client, admin.Id, "admin");
            await system.PunchAsync(emp, "in");
            cursor = (await client.ReceiveRecordAsync()).GetProperty("cursor").GetString()!;
        }

        await before.DisposeAsync();
        var missed = new[] { await system.PunchAsync(emp, "out"), await system.PunchAsync(emp, "in") };
        var after = await system.StartReporterAsync(); // a fresh process: its window is empty
        var live = await system.PunchAsync(emp, "out");

        await using var resumed = await SocketClient.ConnectAsync(after.SocketAddress, admin.Token, after: cursor);
        await HelloAsync(resumed, admin.Id, "admin");
        var received = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            received.Add((await resumed.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        }

        Assert.Equal([.. missed, live], received);
        Assert.True(await resumed.QuietAsync(), "each record once");
        await after.DisposeAsync();
    }

    [Fact]
    public async Task A_void_reaches_everyone_who_sees_that_employee_and_a_notification_only_its_recipient()
    {
        var emp = await system.CreatePersonAsync();
        var other = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        var fixer = await system.CreatePersonAsync("admin");
        await using var empSocket = await SocketClient.ConnectAsync(Socket, emp.Token);
        await using var otherSocket = await SocketClient.ConnectAsync(Socket, other.Token);
        await using var adminSocket = await SocketClient.ConnectAsync(Socket, admin.Token);
        await HelloAsync(empSocket, emp.Id, "employee");
        await HelloAsync(otherSocket, other.Id, "employee");
        await HelloAsync(adminSocket, admin.Id, "admin");
        var wrongIn = await system.PunchAsync(emp, "in");
        Assert.Equal("punch", (await empSocket.ReceiveRecordAsync()).GetProperty("record").GetProperty("source").GetString());
        await adminSocket.ReceiveRecordAsync();

        var correctionId = await system.VoidAsync(fixer, emp, wrongIn);

        // The employee gets the void (feed) and the notification (pushed): two paths, either order.
        var empFrames = new[] { await empSocket.ReceiveAsync(), await empSocket.ReceiveAsync() }.Select(f => f!.Value).ToList();
        var voidFrame = Assert.Single(empFrames, f => f.GetProperty("type").GetString() == "void");
        var notification = Assert.Single(empFrames, f => f.GetProperty("type").GetString() == "notification").GetProperty("notification");
        var adminsVoid = await adminSocket.ReceiveAsync();

        Assert.Equal(wrongIn, voidFrame.GetProperty("record_id").GetInt64());
        Assert.Equal(emp.Id, voidFrame.GetProperty("employee_id").GetInt32());
        Assert.Equal(correctionId, voidFrame.GetProperty("correction_id").GetInt64());
        Assert.False(string.IsNullOrEmpty(voidFrame.GetProperty("cursor").GetString()));
        Assert.Equal("correction_decided", notification.GetProperty("kind").GetString());
        Assert.Equal(correctionId, notification.GetProperty("correction_id").GetInt64());
        Assert.Contains("punched by mistake", notification.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(notification.GetProperty("id").GetInt64() > 0);
        Assert.Equal("void", adminsVoid!.Value.GetProperty("type").GetString());
        Assert.True(await adminSocket.QuietAsync(), "the notification is the employee's alone");
        Assert.True(await otherSocket.QuietAsync(), "another employee sees neither");
    }

    [Fact]
    public async Task A_void_missed_while_the_reporter_restarts_is_replayed_once_on_resume()
    {
        var emp = await system.CreatePersonAsync();
        var fixer = await system.CreatePersonAsync("admin");
        string cursor;
        long wrongIn;
        var before = await system.StartReporterAsync();
        await using (var client = await SocketClient.ConnectAsync(before.SocketAddress, emp.Token))
        {
            await HelloAsync(client, emp.Id, "employee");
            wrongIn = await system.PunchAsync(emp, "in");
            cursor = (await client.ReceiveRecordAsync()).GetProperty("cursor").GetString()!;
        }

        await before.DisposeAsync();
        var correctionId = await system.VoidAsync(fixer, emp, wrongIn);
        var after = await system.StartReporterAsync();

        await using var resumed = await SocketClient.ConnectAsync(after.SocketAddress, emp.Token, after: cursor);
        await HelloAsync(resumed, emp.Id, "employee");
        var replayed = await resumed.ReceiveAsync();
        var live = await system.PunchAsync(emp, "in");
        var next = await resumed.ReceiveRecordAsync();

        Assert.Equal("void", replayed!.Value.GetProperty("type").GetString());
        Assert.Equal(wrongIn, replayed.Value.GetProperty("record_id").GetInt64());
        Assert.Equal(correctionId, replayed.Value.GetProperty("correction_id").GetInt64());
        Assert.Equal(live, next.GetProperty("record").GetProperty("id").GetInt64());
        Assert.True(await resumed.QuietAsync(), "each frame once");
        await after.DisposeAsync();
    }

    [Fact]
    public async Task An_employee_caught_up_from_attendance_after_a_restart_gets_only_their_own_records()
    {
        var emp = await system.CreatePersonAsync();
        var other = await system.CreatePersonAsync();
        string cursor;
        var before = await system.StartReporterAsync();
        await using (var client = await SocketClient.ConnectAsync(before.SocketAddress, emp.Token))
        {
            await HelloAsync(client, emp.Id, "employee");
            await system.PunchAsync(emp, "in");
            cursor = (await client.ReceiveRecordAsync()).GetProperty("cursor").GetString()!;
        }

        await before.DisposeAsync();
        var mine = await system.PunchAsync(emp, "out");
        await system.PunchAsync(other, "in"); // in the replayed range, but not hers to see
        var after = await system.StartReporterAsync(); // its window is empty: the catch-up comes from attendance

        await using var resumed = await SocketClient.ConnectAsync(after.SocketAddress, emp.Token, after: cursor);
        await HelloAsync(resumed, emp.Id, "employee");

        Assert.Equal(mine, (await resumed.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        Assert.True(await resumed.QuietAsync(), "another employee's record must not be replayed");
        await after.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_handshake_says_where_the_token_goes()
    {
        using var http = system.Reporter.CreateClient();

        using var response = await http.GetAsync("/ws");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("?token=", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cursor_more_than_a_window_behind_gets_a_resync()
    {
        var emp = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        await using var watcher = await SocketClient.ConnectAsync(Socket, admin.Token);
        await HelloAsync(watcher, admin.Id, "admin");
        await system.PunchAsync(emp, "in");
        var old = (await watcher.ReceiveRecordAsync()).GetProperty("cursor").GetString()!;

        // Push the window past that cursor.
        await system.Database.WriteRecordsAsync($"""
            WITH people AS (INSERT INTO employees (username, password_hash)
              SELECT 'w-' || md5(random()::text), 'x' FROM generate_series(1, {2 * RelaySystem.ReplayWindow + 10}) RETURNING id)
            INSERT INTO attendance_records (employee_id, action, timestamp) SELECT id, 'in', now() FROM people
            """);
        for (var i = 0; i < 2 * RelaySystem.ReplayWindow + 10; i++)
        {
            await watcher.ReceiveRecordAsync();
        }

        await using var stale = await SocketClient.ConnectAsync(Socket, admin.Token, after: old);
        await HelloAsync(stale, admin.Id, "admin");
        var resync = await stale.ReceiveAsync();

        Assert.Equal("resync", resync!.Value.GetProperty("type").GetString());
        Assert.Equal("cursor older than the replay window", resync.Value.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_closed_with_1013_while_a_reading_one_gets_everything()
    {
        const int Batches = 240, PerBatch = 250;
        var admin = await system.CreatePersonAsync("admin");
        await using var fast = await SocketClient.ConnectAsync(Socket, admin.Token);
        await HelloAsync(fast, admin.Id, "admin");

        // A peer with a tiny receive buffer that stops reading: the server's queue for it must fill.
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        await using var slow = await SocketClient.ConnectAsync(Socket, admin.Token, invoker: invoker);

        // The slow client reads again as soon as the server has cut it off, as a real one waking up
        // would: a client that never reads cannot get the close frame either and is aborted after
        // the server's close timeout, however busy the machine running this test is.
        var hub = system.Reporter.Services.GetRequiredService<RelayHub>();
        var droppedBefore = hub.ClientsDropped;
        var slowClosed = Task.Run(async () =>
        {
            while (hub.ClientsDropped == droppedBefore)
            {
                await Task.Delay(5);
            }

            return await slow.ReadUntilClosedAsync(TimeSpan.FromSeconds(60));
        });
        var reading = Task.Run(async () =>
        {
            var count = 0;
            while (count < Batches * PerBatch)
            {
                await fast.ReceiveRecordAsync();
                count++;
            }

            return count;
        });
        for (var batch = 0; batch < Batches; batch++)
        {
            await system.Database.WriteRecordsAsync($"""
                WITH people AS (INSERT INTO employees (username, password_hash)
                  SELECT 'f-' || md5(random()::text), 'x' FROM generate_series(1, {PerBatch}) RETURNING id)
                INSERT INTO attendance_records (employee_id, action, timestamp) SELECT id, 'in', now() FROM people
                """);
            await Task.Delay(10);
        }

        Assert.Equal(Batches * PerBatch, await reading);
        Assert.Equal((WebSocketCloseStatus)1013, await slowClosed.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Clients_miss_nothing_while_attendance_restarts()
    {
        var emp = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        await using var client = await SocketClient.ConnectAsync(Socket, admin.Token);
        await HelloAsync(client, admin.Id, "admin");
        var before = await system.PunchAsync(emp, "in");
        Assert.Equal(before, (await client.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());

        await system.StopAttendanceAsync();
        // Punches keep landing meanwhile (through another attendance replica, say).
        var whileDown = new List<long>();
        foreach (var action in new[] { "out", "in", "out" })
        {
            whileDown.Add(await system.Database.ScalarAsync<long>(
                "INSERT INTO attendance_records (employee_id, action, timestamp) VALUES ($1, $2, now()) RETURNING id", emp.Id, action));
        }

        await system.StartAttendanceAsync();
        var after = await system.PunchAsync(emp, "in");

        var received = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            received.Add((await client.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64());
        }

        Assert.Equal([.. whileDown, after], received);
        Assert.True(await client.QuietAsync(), "nothing twice");
    }

    [Fact]
    public async Task A_socket_is_closed_with_a_policy_code_when_its_token_expires()
    {
        var emp = await system.CreatePersonAsync(lifetime: TimeSpan.FromSeconds(3));
        await using var client = await SocketClient.ConnectAsync(Socket, emp.Token);
        await HelloAsync(client, emp.Id, "employee");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Stopping_the_reporter_closes_every_socket_with_1001()
    {
        var emp = await system.CreatePersonAsync();
        var reporter = await system.StartReporterAsync();
        await using var client = await SocketClient.ConnectAsync(reporter.SocketAddress, emp.Token);
        await HelloAsync(client, emp.Id, "employee");

        var stopping = reporter.DisposeAsync().AsTask();
        var status = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        await stopping;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }

    [Fact]
    public async Task Tokens_never_appear_in_the_log_whatever_happens()
    {
        var emp = await system.CreatePersonAsync();
        var expired = await system.CreatePersonAsync(lifetime: TimeSpan.FromMinutes(-5));
        await using (var client = await SocketClient.ConnectAsync(Socket, emp.Token))
        {
            await HelloAsync(client, emp.Id, "employee");
            await system.PunchAsync(emp, "in");
            await client.ReceiveRecordAsync();
        }

        await SocketClient.RefusedStatusAsync(Socket, expired.Token);
        await SocketClient.RefusedStatusAsync(Socket, emp.Token, "http://evil.example");
        using var http = system.Reporter.CreateClient();
        using var plain = await http.GetAsync("/ws?token=" + emp.Token);
        await Task.Delay(200); // request log lines are written as requests end

        var lines = system.Reporter.Log.Lines;
        Assert.Contains(lines, line => line.Contains("/ws", StringComparison.Ordinal));
        foreach (var token in new[] { emp.Token, expired.Token })
        {
            var signature = token.Split('.')[2];
            Assert.DoesNotContain(lines, line => line.Contains(signature, StringComparison.Ordinal));
        }
    }

    /// <summary>Reads a watcher's frames until the record with <paramref name="id"/> has come through the reporter.</summary>
    private static async Task WaitForRelayAsync(SocketClient watcher, long id)
    {
        while ((await watcher.ReceiveRecordAsync()).GetProperty("record").GetProperty("id").GetInt64() != id)
        {
        }
    }
}
