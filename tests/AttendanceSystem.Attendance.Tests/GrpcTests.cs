using System.Net;
using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Data.Teams;
using AttendanceSystem.Protos;
using AttendanceSystem.Streaming;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

public sealed class GrpcTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private async Task<long> PunchAsync(Person person, string action)
    {
        using var response = await Client.PunchAsync(person, action);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    private static async Task<List<AttendanceRecord>> ReadAllAsync(AsyncServerStreamingCall<AttendanceRecord> call)
    {
        var records = new List<AttendanceRecord>();
        await foreach (var record in call.ResponseStream.ReadAllAsync())
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Reads from a live stream until <paramref name="count"/> records came, or fails after a while.</summary>
    private static async Task<List<AttendanceRecord>> TakeAsync(IAsyncStreamReader<AttendanceRecord> stream, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var records = new List<AttendanceRecord>();
        while (records.Count < count && await stream.MoveNext(timeout.Token))
        {
            records.Add(stream.Current);
        }

        return records;
    }

    /// <summary>True when nothing arrives within a short wait.</summary>
    private static async Task<bool> QuietAsync(IAsyncStreamReader<AttendanceRecord> stream, Task<bool>? pending = null)
    {
        var next = pending ?? stream.MoveNext();
        return await Task.WhenAny(next, Task.Delay(500)) != next;
    }

    /// <summary>Asserts nothing arrives within a short wait, saying what did if something did.</summary>
    private static async Task AssertQuietAsync(IAsyncStreamReader<AttendanceRecord> stream, string because)
    {
        var next = stream.MoveNext();
        if (await Task.WhenAny(next, Task.Delay(500)) != next)
        {
            return;
        }

        var arrived = next.IsFaulted ? next.Exception!.InnerException!.Message
            : await next ? $"record {stream.Current.Id} at {stream.Current.Cursor}" : "end of stream";
        Assert.Fail($"{because}, but got: {arrived}");
    }

    [Fact]
    public async Task List_streams_my_history_oldest_first_with_the_jwt_field()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var ids = new[] { await PunchAsync(emp, "in"), await PunchAsync(emp, "out"), await PunchAsync(emp, "in") };

        var records = await ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = 0, Jwt = emp.Token }));

        Assert.Equal(ids, records.Select(r => r.Id));
        Assert.Equal(["in", "out", "in"], records.Select(r => r.Action));
        Assert.All(records, r => Assert.Equal("emp2", r.Username));
        Assert.All(records, r => Assert.Equal(emp.Id, r.EmployeeId));
        Assert.All(records, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", r.Timestamp));
        Assert.All(records, r => Assert.True(FeedCursor.TryParse(r.Cursor, out _)));
    }

    [Fact]
    public async Task List_accepts_the_token_as_bearer_metadata_and_filters_by_dates()
    {
        var emp = await App.CreatePersonAsync("emp2");
        await PunchAsync(emp, "in");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Metadata { { "authorization", "Bearer " + emp.Token } };

        var todays = await ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = emp.Id, From = today, To = today }, headers));
        var older = await ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = emp.Id, To = "2020-01-01" }, headers));

        Assert.Single(todays);
        Assert.Empty(older);
    }

    [Fact]
    public async Task Another_employees_history_needs_admin()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");
        var admin = await App.CreatePersonAsync("boss", "admin");
        await PunchAsync(emp, "in");

        var denied = await Assert.ThrowsAsync<RpcException>(() =>
            ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = emp.Id, Jwt = other.Token })));
        var allowed = await ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = emp.Id, Jwt = admin.Token }));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Single(allowed);
    }

    public static TheoryData<string> BadTokens => new()
    {
        "",
        "not-a-token",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Missing_or_bad_tokens_are_unauthenticated(string token)
    {
        var list = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(App.Grpc.List(new ListRequest { Jwt = token })));
        var stream = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(App.Grpc.StreamNew(new StreamRequest { Jwt = token })));

        Assert.Equal(StatusCode.Unauthenticated, list.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, stream.StatusCode);
        Assert.DoesNotContain(token.Length > 0 ? token : "\u0000", list.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, "", "")]
    [InlineData(0, "yesterday", "")]
    [InlineData(0, "", "2026-02-30")]
    public async Task Bad_list_arguments_are_invalid_argument(int employeeId, string from, string to)
    {
        var emp = await App.CreatePersonAsync("emp2");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = employeeId, Jwt = emp.Token, From = from, To = to })));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task StreamNew_rejects_a_malformed_cursor_and_someone_elses_id()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");

        var badCursor = await Assert.ThrowsAsync<RpcException>(() =>
            ReadAllAsync(App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token, After = "'; DROP TABLE x;--" })));
        var snooping = await Assert.ThrowsAsync<RpcException>(() =>
            ReadAllAsync(App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token, EmployeeId = other.Id })));

        Assert.Equal(StatusCode.InvalidArgument, badCursor.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, snooping.StatusCode);
    }

    [Fact]
    public async Task StreamNew_delivers_a_punch_live_to_its_owner_and_admins_but_not_to_others()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");
        var admin = await App.CreatePersonAsync("boss", "admin");
        using var mine = App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token });
        using var theirs = App.Grpc.StreamNew(new StreamRequest { Jwt = other.Token });
        using var everyone = App.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var reporter = App.Grpc.StreamNew(new StreamRequest { Jwt = App.ServiceToken() });
        await WaitForSubscribersAsync(4);

        var id = await PunchAsync(emp, "in");

        foreach (var call in new[] { mine, everyone, reporter })
        {
            var record = Assert.Single(await TakeAsync(call.ResponseStream, 1));
            Assert.Equal(id, record.Id);
            Assert.Equal("emp2", record.Username);
            Assert.Equal("in", record.Action);
        }

        Assert.True(await QuietAsync(theirs.ResponseStream), "another employee must not see this punch");
    }

    [Fact]
    public async Task StreamNew_with_after_sends_exactly_the_missed_records_then_live_ones()
    {
        var emp = await App.CreatePersonAsync("emp2");
        await PunchAsync(emp, "in");
        var history = await ReadAllAsync(App.Grpc.List(new ListRequest { Jwt = emp.Token }));
        var cursor = history[^1].Cursor;
        var missed = new[] { await PunchAsync(emp, "out"), await PunchAsync(emp, "in"), await PunchAsync(emp, "out") };

        using var resumed = App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token, After = cursor });
        var caughtUp = await TakeAsync(resumed.ResponseStream, 3);
        var live = await PunchAsync(emp, "in");
        var next = await TakeAsync(resumed.ResponseStream, 1);

        Assert.Equal(missed, caughtUp.Select(r => r.Id));
        Assert.Equal(live, Assert.Single(next).Id);
        Assert.True(await QuietAsync(resumed.ResponseStream), "no duplicates after the live record");
    }

    [Fact]
    public async Task StreamNew_carries_voids_and_sources_live_and_on_resume_and_List_shows_the_effective_timeline()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var wrongIn = await PunchAsync(emp, "in");
        using var live = App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token });
        await WaitForSubscribersAsync(1);
        var before = await ReadAllAsync(App.Grpc.List(new ListRequest { Jwt = emp.Token }));

        using var voided = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", admin.Token,
            new { employee_id = emp.Id, kind = "void", record_id = wrongIn, reason = "test punch", apply = true });
        var correctionId = (await voided.JsonAsync()).GetProperty("id").GetInt64();
        // The stream may start just before the punch was published: then the punch comes first.
        var arrived = await TakeAsync(live.ResponseStream, 1);
        if (arrived[0].Kind != "void")
        {
            Assert.Equal((wrongIn, ""), (arrived[0].Id, arrived[0].Kind));
            arrived = await TakeAsync(live.ResponseStream, 1);
        }

        var voidMessage = Assert.Single(arrived);
        var nextIn = await PunchAsync(emp, "in");
        var punchMessage = Assert.Single(await TakeAsync(live.ResponseStream, 1));
        using var resumed = App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token, After = before[^1].Cursor });
        var replayed = await TakeAsync(resumed.ResponseStream, 2);
        var after = await ReadAllAsync(App.Grpc.List(new ListRequest { Jwt = emp.Token }));

        Assert.Equal("punch", Assert.Single(before).Source);
        Assert.Equal("", before[0].Kind);
        Assert.Equal("void", voidMessage.Kind);
        Assert.Equal(wrongIn, voidMessage.Id);
        Assert.Equal(correctionId, voidMessage.CorrectionId);
        Assert.Equal("correction", voidMessage.Source);
        Assert.True(FeedCursor.TryParse(voidMessage.Cursor, out var voidAt) && FeedCursor.TryParse(before[0].Cursor, out var punchAt) && voidAt > punchAt);
        Assert.Equal((nextIn, "", "punch"), (punchMessage.Id, punchMessage.Kind, punchMessage.Source));
        Assert.Equal([voidMessage.Cursor, punchMessage.Cursor], replayed.Select(r => r.Cursor));
        Assert.Equal([nextIn], after.Select(r => r.Id));
        Assert.All(after, r => Assert.False(r.Voided));
    }

    [Fact]
    public async Task StreamNew_with_until_replays_that_range_in_the_callers_scope_and_ends()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");
        var admin = await App.CreatePersonAsync("boss", "admin");
        await PunchAsync(emp, "in");
        var start = (await ReadAllAsync(App.Grpc.List(new ListRequest { Jwt = emp.Token })))[^1].Cursor;
        var range = new[] { await PunchAsync(emp, "out"), await PunchAsync(other, "in"), await PunchAsync(emp, "in") };
        var end = (await ReadAllAsync(App.Grpc.List(new ListRequest { Jwt = emp.Token })))[^1].Cursor;
        await PunchAsync(emp, "out"); // after the range: not replayed

        var mine = await ReadAllAsync(App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token, After = start, Until = end }));
        var everyones = await ReadAllAsync(App.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token, After = start, Until = end }));

        Assert.Equal([range[0], range[2]], mine.Select(r => r.Id));
        Assert.Equal(range, everyones.Select(r => r.Id));
    }

    [Fact]
    public async Task A_call_without_a_token_is_told_where_to_put_one()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(App.Grpc.List(new ListRequest())));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("jwt field", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_that_commits_late_with_a_lower_id_is_neither_skipped_nor_duplicated()
    {
        var early = await App.CreatePersonAsync("early");
        var late = await App.CreatePersonAsync("late");
        var admin = await App.CreatePersonAsync("boss", "admin");
        using var live = App.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        await WaitForSubscribersAsync(1);

        // A transaction takes the lower id and stays open while a later punch commits.
        await using var connection = new NpgsqlConnection(App.Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO attendance_records (employee_id, action, timestamp) VALUES ($1, 'in', now()) RETURNING id", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = early.Id });
        var lowerId = (long)(await insert.ExecuteScalarAsync())!;
        var higherId = await PunchAsync(late, "in");
        Assert.True(lowerId < higherId);

        // The committed higher id must wait: delivering it now would let a client resume past the lower one.
        var first = live.ResponseStream.MoveNext();
        Assert.True(await QuietAsync(live.ResponseStream, first), "a record must not be delivered while an older transaction may still commit");
        await transaction.CommitAsync();

        Assert.True(await first);
        var received = new List<AttendanceRecord> { live.ResponseStream.Current };
        received.AddRange(await TakeAsync(live.ResponseStream, 1));
        Assert.Equal([lowerId, higherId], received.Select(r => r.Id));
        await AssertQuietAsync(live.ResponseStream, "each record exactly once");

        // A client that stopped after the first record and resumes gets the second, once.
        using var resumed = App.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token, After = received[0].Cursor });
        Assert.Equal([higherId], (await TakeAsync(resumed.ResponseStream, 1)).Select(r => r.Id));
        await AssertQuietAsync(resumed.ResponseStream, "a resumed stream sends each missed record once");
    }

    [Fact]
    public async Task Cancelling_a_stream_frees_its_subscription_on_the_server()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var feed = App.Services.GetRequiredService<RecordFeed>();
        var before = feed.SubscriberCount;
        using var cancel = new CancellationTokenSource();
        using var call = App.Grpc.StreamNew(new StreamRequest { Jwt = emp.Token }, cancellationToken: cancel.Token);
        await WaitForSubscribersAsync(before + 1);

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await WaitForSubscribersAsync(before);
    }

    [Fact]
    public async Task Reflection_lists_the_attendance_service()
    {
        var reflection = new ServerReflection.ServerReflectionClient(App.Channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("proto.AttendanceService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task The_standard_health_service_reports_serving()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(App.Channel);

        var response = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());

        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    private async Task WaitForSubscribersAsync(int count)
    {
        var feed = App.Services.GetRequiredService<RecordFeed>();
        using var timeout = new CancellationTokenSource(Patience);
        while (feed.SubscriberCount != count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task A_managers_stream_carries_their_team_and_follows_a_team_change_without_reconnecting()
    {
        var manager = await App.CreatePersonAsync("lead", "manager");
        var member = await App.CreatePersonAsync("member");
        var outsider = await App.CreatePersonAsync("outsider");
        var team = await App.Database.ScalarAsync<int>("INSERT INTO teams (name, manager_id) VALUES ('Ours', $1) RETURNING id", manager.Id);
        await App.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1 WHERE id = $2", team, member.Id);
        var directory = App.Services.GetRequiredService<TeamDirectory>();
        await directory.ReloadAsync(CancellationToken.None);

        var listed = await ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = member.Id, Jwt = manager.Token }));
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            ReadAllAsync(App.Grpc.List(new ListRequest { EmployeeId = outsider.Id, Jwt = manager.Token })));
        Assert.Empty(listed);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        using var stream = App.Grpc.StreamNew(new StreamRequest { Jwt = manager.Token });
        await WaitForSubscribersAsync(1);
        // Records come in order: the member's arriving first means the outsider's, before it, was left out.
        var outsiderPunch = await PunchAsync(outsider, "in");
        var memberPunch = await PunchAsync(member, "in");
        Assert.Equal(memberPunch, Assert.Single(await TakeAsync(stream.ResponseStream, 1)).Id);

        // The outsider joins the team: the trigger's NOTIFY reaches the directory, and the open stream follows.
        await App.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1 WHERE id = $2", team, outsider.Id);
        using (var wait = new CancellationTokenSource(Patience))
        {
            while (!directory.Manages(manager.Id, outsider.Id))
            {
                await Task.Delay(20, wait.Token);
            }
        }

        var joinedPunch = await PunchAsync(outsider, "out");
        Assert.Equal(joinedPunch, Assert.Single(await TakeAsync(stream.ResponseStream, 1)).Id);
        Assert.NotEqual(outsiderPunch, joinedPunch);
    }
}
