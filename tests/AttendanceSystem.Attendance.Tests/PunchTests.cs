using System.Net;
using System.Text;
using Grpc.Core;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

public sealed class PunchTests(AttendanceApp app) : AttendanceTestBase(app)
{
    [Fact]
    public async Task Punching_in_then_out_returns_201_with_the_stored_record()
    {
        var emp = await App.CreatePersonAsync("emp2");

        using var punchIn = await Client.PunchAsync(emp, "in");
        using var punchOut = await Client.PunchAsync(emp, "out");

        Assert.Equal(HttpStatusCode.Created, punchIn.StatusCode);
        Assert.Equal(HttpStatusCode.Created, punchOut.StatusCode);
        var body = await punchIn.JsonAsync();
        Assert.Equal(emp.Id, body.GetProperty("employee_id").GetInt32());
        Assert.Equal("in", body.GetProperty("action").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body.GetProperty("timestamp").GetString()!);
        Assert.True(body.GetProperty("id").GetInt64() > 0);
        Assert.StartsWith($"/attendance/{emp.Id}?date=", punchIn.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["in", "out"], await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task The_first_punch_must_be_in()
    {
        var emp = await App.CreatePersonAsync("emp2");

        using var response = await Client.PunchAsync(emp, "out");

        var detail = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("first punch must be \"in\"", detail, StringComparison.Ordinal);
        Assert.Empty(await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task The_same_action_twice_in_a_row_is_409()
    {
        var emp = await App.CreatePersonAsync("emp2");
        using var first = await Client.PunchAsync(emp, "in");

        using var second = await Client.PunchAsync(emp, "in");

        var detail = await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Already punched \"in\"", detail, StringComparison.Ordinal);
        Assert.Equal(["in"], await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task A_given_timestamp_is_stored_and_may_not_be_in_the_future_or_before_the_last_punch()
    {
        var emp = await App.CreatePersonAsync("emp2");
        // Within PUNCH_BACKDATE_MINUTES (10): older punches become corrections (CorrectionTests).
        var earlier = DateTime.UtcNow.AddMinutes(-6);

        using var backdated = await Client.PunchAsync(emp, "in", Iso(earlier));
        using var future = await Client.PunchAsync(emp, "out", Iso(DateTime.UtcNow.AddHours(1)));
        using var beforeLast = await Client.PunchAsync(emp, "out", Iso(earlier.AddMinutes(-1)));
        using var withOffset = await Client.PunchAsync(emp, "out", earlier.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + "+00:00");

        Assert.Equal(HttpStatusCode.Created, backdated.StatusCode);
        Assert.Equal(Iso(earlier), (await backdated.JsonAsync()).GetProperty("timestamp").GetString());
        Assert.Contains("future", await future.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("before the last punch", await beforeLast.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, withOffset.StatusCode);
        Assert.Equal(["in", "out"], await StoredActionsAsync(emp.Id));
    }

    [Theory]
    [InlineData("{\"action\": \"sideways\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"action\": 1}", HttpStatusCode.BadRequest)]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("{\"action\": \"in\", \"timestamp\": \"yesterday\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"action\": \"in\", \"timestamp\": \"2026-11-23T08:59:12\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"action\": \"in\", \"timestamp\": \"0001-01-01T00:00:00Z\"}", HttpStatusCode.Conflict)]
    [InlineData("{\"action\": \"in\", \"timestamp\": \"9999-12-31T23:59:59Z\"}", HttpStatusCode.Conflict)]
    [InlineData("{\"action\": \"in\", \"employee_id\": 7}", HttpStatusCode.BadRequest)]
    [InlineData("{\"action\": \"in\"", HttpStatusCode.BadRequest)]
    [InlineData("not json", HttpStatusCode.BadRequest)]
    public async Task Bad_punch_bodies_get_a_4xx_problem_and_write_nothing(string json, HttpStatusCode status)
    {
        var emp = await App.CreatePersonAsync("emp2");

        using var response = await Client.SendAsync(HttpMethod.Post, "/attendance", emp.Token,
            new StringContent(json, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(status);
        Assert.Empty(await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task Fifty_simultaneous_punches_by_one_employee_still_alternate_starting_with_in()
    {
        var emp = await App.CreatePersonAsync("emp2");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Client.PunchAsync(emp, i % 2 == 0 ? "in" : "out")));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var stored = await StoredActionsAsync(emp.Id);
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.Created), stored.Count);
        Assert.NotEmpty(stored);
        for (var i = 0; i < stored.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? "in" : "out", stored[i]);
        }

        Assert.Equal(stored[^1], await App.Database.ScalarAsync<string>("SELECT last_action FROM employees WHERE id = $1", emp.Id));
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_answer_and_writes_nothing()
    {
        var emp = await App.CreatePersonAsync("emp2");

        using var first = await Client.PunchAsync(emp, "in", key: "key-1");
        using var again = await Client.PunchAsync(emp, "in", key: "key-1");

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(["in"], await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_at_once_writes_one_record()
    {
        var emp = await App.CreatePersonAsync("emp2");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.PunchAsync(emp, "in", key: "same")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetInt64()));
        Assert.Single(ids.Distinct());
        Assert.Equal(["in"], await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_another_action_is_409()
    {
        var emp = await App.CreatePersonAsync("emp2");
        using var first = await Client.PunchAsync(emp, "in", key: "k");

        using var other = await Client.PunchAsync(emp, "out", key: "k");

        Assert.Contains("Idempotency-Key", await other.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(["in"], await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task Keys_are_per_employee()
    {
        var a = await App.CreatePersonAsync("emp-a");
        var b = await App.CreatePersonAsync("emp-b");

        using var first = await Client.PunchAsync(a, "in", key: "shared");
        using var second = await Client.PunchAsync(b, "in", key: "shared");

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(b.Id, (await second.JsonAsync()).GetProperty("employee_id").GetInt32());
    }

    [Fact]
    public async Task A_bad_idempotency_key_is_400()
    {
        var emp = await App.CreatePersonAsync("emp2");

        using var response = await Client.PunchAsync(emp, "in", key: new string('k', 200));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Punching_needs_an_employee_token()
    {
        using var anonymous = await Client.SendAsync(HttpMethod.Post, "/attendance", null, new { action = "in" });
        using var service = await Client.SendAsync(HttpMethod.Post, "/attendance", App.ServiceToken(), new { action = "in" });

        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await service.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_deactivated_employees_token_no_longer_works_for_rest_or_grpc()
    {
        var emp = await App.CreatePersonAsync("emp2");
        await App.Database.ScalarAsync<object>("UPDATE employees SET active = false WHERE id = $1", emp.Id);
        // Revocations reach every process within moments (the contract allows 5 s); wait for this one's.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            using var probe = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}", emp.Token);
            if (probe.StatusCode == HttpStatusCode.Unauthorized || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(25);
        }

        using var response = await Client.PunchAsync(emp, "in");
        var list = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
        {
            using var call = App.Grpc.List(new Protos.ListRequest { Jwt = emp.Token });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Contains("deactivated", await response.AssertProblemAsync(HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, list.StatusCode);
        Assert.Empty(await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task Records_are_append_only_in_the_database()
    {
        var emp = await App.CreatePersonAsync("emp2");
        using var punch = await Client.PunchAsync(emp, "in");

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            App.Database.ScalarAsync<object>("DELETE FROM attendance_records WHERE employee_id = $1", emp.Id));

        Assert.Equal("AT006", error.SqlState);
    }
}
