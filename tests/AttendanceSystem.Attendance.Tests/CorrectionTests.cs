using System.Net;
using System.Text.Json;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// Corrections end to end over REST against the real database: asking, approving, rejecting,
/// applying directly, backdated punches, the rules on the effective timeline, and races.
/// </summary>
public sealed class CorrectionTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private async Task<JsonElement> FileAsync(Person who, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", who.Token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private Task<HttpResponseMessage> DecideAsync(Person who, long id, string decision, string? note = null) =>
        Client.SendAsync(HttpMethod.Post, $"/attendance/corrections/{id}/{decision}", who.Token, note is null ? new { } : new { note });

    private async Task<long> PunchIdAsync(Person who, string action, DateTime? at = null)
    {
        using var response = await Client.PunchAsync(who, action, at is { } t ? Iso(t) : null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    private async Task<List<JsonElement>> TodayAsync(Person reader, Person whose, bool includeVoided = false)
    {
        using var response = await Client.SendAsync(HttpMethod.Get,
            $"/attendance/{whose.Id}{(includeVoided ? "?include_voided=true" : "")}", reader.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).EnumerateArray().ToList();
    }

    private async Task<List<JsonElement>> NotificationsAsync(Person who)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "/notifications", who.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).EnumerateArray().ToList();
    }

    private Task<long> CountAsync(string sql, params object[] parameters) => App.Database.ScalarAsync<long>(sql, parameters);

    [Fact]
    public async Task An_employee_asks_to_void_a_wrong_in_and_an_approver_approves_it()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var wrongIn = await PunchIdAsync(emp, "in");

        var filed = await FileAsync(emp, new { kind = "void", record_id = wrongIn, reason = "pressed in by mistake" });
        var stillThere = await TodayAsync(emp, emp);
        using var approve = await DecideAsync(admin, filed.GetProperty("id").GetInt64(), "approve", "ok, happens");

        Assert.Equal("pending", filed.GetProperty("status").GetString());
        Assert.Equal(emp.Id, filed.GetProperty("requested_by").GetInt32());
        Assert.Equal(JsonValueKind.Null, filed.GetProperty("decided_by").ValueKind);
        Assert.Single(stillThere);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var decided = await approve.JsonAsync();
        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.Equal(admin.Id, decided.GetProperty("decided_by").GetInt32());
        Assert.Equal("ok, happens", decided.GetProperty("note").GetString());
        Assert.True(decided.GetProperty("decided_at").GetDateTime() > DateTime.UtcNow.AddMinutes(-1));

        // The effective timeline has no record; the voided one is still there, marked, for who asks.
        Assert.Empty(await TodayAsync(emp, emp));
        var withVoided = Assert.Single(await TodayAsync(emp, emp, includeVoided: true));
        Assert.Equal(wrongIn, withVoided.GetProperty("id").GetInt64());
        Assert.True(withVoided.GetProperty("voided").GetBoolean());
        using var presence = await Client.SendAsync(HttpMethod.Get, "/attendance/presence", admin.Token);
        Assert.Empty((await presence.JsonAsync()).EnumerateArray());

        // The employee can punch "in" again: the state follows the effective timeline.
        Assert.Equal(HttpStatusCode.Created, (await Client.PunchAsync(emp, "in")).StatusCode);

        // The approver was told of the request; the employee of the decision.
        Assert.Contains(await NotificationsAsync(admin), n => n.GetProperty("kind").GetString() == "correction_requested"
            && n.GetProperty("text").GetString()!.Contains("pressed in by mistake", StringComparison.Ordinal));
        Assert.Contains(await NotificationsAsync(emp), n => n.GetProperty("kind").GetString() == "correction_decided"
            && n.GetProperty("text").GetString()!.Contains("approved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forgotten_punch_is_added_at_its_time_once_approved_and_counts_in_the_summary()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var start = DateTime.UtcNow.AddMinutes(-8);
        await PunchIdAsync(emp, "in", start);
        var forgottenOut = DateTime.UtcNow.AddMinutes(-3);

        var filed = await FileAsync(emp, new { kind = "add", action = "out", timestamp = Iso(forgottenOut), reason = "left without punching" });
        using var approve = await DecideAsync(admin, filed.GetProperty("id").GetInt64(), "approve");

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var records = await TodayAsync(emp, emp);
        Assert.Equal(["out", "in"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(Iso(forgottenOut), records[0].GetProperty("timestamp").GetString());
        Assert.Equal("correction", records[0].GetProperty("source").GetString());
        Assert.Equal("punch", records[1].GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Client.PunchAsync(emp, "in")).StatusCode);
    }

    [Fact]
    public async Task Approving_a_change_that_breaks_the_alternation_is_409_naming_the_record_and_writes_nothing()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        await PunchIdAsync(emp, "in", DateTime.UtcNow.AddMinutes(-9));
        var lastOut = await PunchIdAsync(emp, "out", DateTime.UtcNow.AddMinutes(-2));

        // An "out" between the in and the out: two outs in a row on the effective timeline.
        var filed = await FileAsync(emp, new { kind = "add", action = "out", timestamp = Iso(DateTime.UtcNow.AddMinutes(-5)), reason = "went home earlier" });
        using var approve = await DecideAsync(admin, filed.GetProperty("id").GetInt64(), "approve");

        var detail = await approve.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"record {lastOut}", detail, StringComparison.Ordinal);
        Assert.Contains("alternate", detail, StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM attendance_records WHERE employee_id = $1", emp.Id));
        Assert.Equal("pending", await App.Database.ScalarAsync<string>("SELECT status FROM corrections WHERE id = $1", filed.GetProperty("id").GetInt64()));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'correction.approved'"));
    }

    [Fact]
    public async Task Nobody_approves_their_own_request_and_an_employee_approves_nothing()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var admin2 = await App.CreatePersonAsync("boss2", "admin");
        var adminsIn = await PunchIdAsync(admin, "in");
        var empsIn = await PunchIdAsync(emp, "in");

        var own = await FileAsync(admin, new { kind = "void", record_id = adminsIn, reason = "test punch" });
        using var selfApproval = await DecideAsync(admin, own.GetProperty("id").GetInt64(), "approve");
        using var applyOwn = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", admin.Token,
            new { kind = "add", action = "out", timestamp = Iso(DateTime.UtcNow.AddMinutes(-1)), reason = "fixing myself", apply = true });
        var emps = await FileAsync(emp, new { kind = "void", record_id = empsIn, reason = "oops" });
        using var byEmployee = await DecideAsync(other, emps.GetProperty("id").GetInt64(), "approve");
        using var bySelf = await DecideAsync(emp, emps.GetProperty("id").GetInt64(), "reject");
        using var forSomeoneElse = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", emp.Token,
            new { employee_id = other.Id, kind = "add", action = "in", timestamp = Iso(DateTime.UtcNow.AddMinutes(-1)), reason = "for a friend" });
        using var byOtherAdmin = await DecideAsync(admin2, own.GetProperty("id").GetInt64(), "approve");

        Assert.Contains("own request", await selfApproval.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Contains("own attendance", await applyOwn.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        await byEmployee.AssertProblemAsync(HttpStatusCode.Forbidden);
        await bySelf.AssertProblemAsync(HttpStatusCode.Forbidden);
        await forSomeoneElse.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, byOtherAdmin.StatusCode);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM attendance_records WHERE kind = 'void'"));
    }

    [Fact]
    public async Task Deciding_twice_is_409_saying_who_decided_and_a_rejection_changes_nothing()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var admin2 = await App.CreatePersonAsync("boss2", "admin");
        var wrongIn = await PunchIdAsync(emp, "in");
        var filed = await FileAsync(emp, new { kind = "void", record_id = wrongIn, reason = "not me" });
        var id = filed.GetProperty("id").GetInt64();

        using var reject = await DecideAsync(admin, id, "reject", "you were there");
        using var again = await DecideAsync(admin2, id, "approve");

        Assert.Equal("rejected", (await reject.JsonAsync()).GetProperty("status").GetString());
        var detail = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already rejected by boss", detail, StringComparison.Ordinal);
        Assert.Single(await TodayAsync(emp, emp));
        Assert.Contains(await NotificationsAsync(emp), n => n.GetProperty("text").GetString()!.Contains("you were there", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approver_fixes_a_punch_directly_with_apply_and_it_is_audited_and_the_employee_told()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        await PunchIdAsync(emp, "in", DateTime.UtcNow.AddMinutes(-9));

        var applied = await FileAsync(admin, new
        {
            employee_id = emp.Id, kind = "add", action = "out", timestamp = Iso(DateTime.UtcNow.AddMinutes(-4)), reason = "saw them leave", apply = true,
        });

        Assert.Equal("applied", applied.GetProperty("status").GetString());
        Assert.Equal(admin.Id, applied.GetProperty("requested_by").GetInt32());
        Assert.Equal(admin.Id, applied.GetProperty("decided_by").GetInt32());
        Assert.Equal(["out", "in"], (await TodayAsync(admin, emp)).Select(r => r.GetProperty("action").GetString()));
        using var audit = await Client.SendAsync(HttpMethod.Get, $"/audit?employee_id={emp.Id}", admin.Token);
        var actions = (await audit.JsonAsync()).EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["correction.requested", "correction.applied"], actions);
        var told = Assert.Single(await NotificationsAsync(emp));
        Assert.Contains("saw them leave", told.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(await NotificationsAsync(admin));
    }

    [Fact]
    public async Task A_backdated_punch_from_an_employee_becomes_a_pending_correction_but_an_admins_is_recorded_and_audited()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var longAgo = DateTime.UtcNow.AddHours(-3);

        using var backdated = await Client.PunchAsync(emp, "in", Iso(longAgo), key: "k-1");
        using var again = await Client.PunchAsync(emp, "in", Iso(longAgo), key: "k-1");
        using var admins = await Client.PunchAsync(admin, "in", Iso(longAgo));

        Assert.Equal(HttpStatusCode.Accepted, backdated.StatusCode);
        var correction = await backdated.JsonAsync();
        Assert.Equal("pending", correction.GetProperty("status").GetString());
        Assert.Equal("add", correction.GetProperty("kind").GetString());
        Assert.Equal(Iso(longAgo), correction.GetProperty("timestamp").GetString());
        Assert.Equal($"/attendance/corrections/{correction.GetProperty("id").GetInt64()}", backdated.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(correction.GetProperty("id").GetInt64(), (await again.JsonAsync()).GetProperty("id").GetInt64());
        Assert.Empty(await TodayAsync(emp, emp));
        Assert.Equal(HttpStatusCode.Created, admins.StatusCode);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'punch.backdated'"));
        Assert.Single(await NotificationsAsync(admin));
    }

    [Fact]
    public async Task Two_approvers_deciding_at_once_cannot_both_win()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var approvers = new List<Person>();
        for (var i = 0; i < 6; i++)
        {
            approvers.Add(await App.CreatePersonAsync($"boss{i}", "admin"));
        }

        for (var round = 0; round < 5; round++)
        {
            var punch = await PunchIdAsync(emp, round % 2 == 0 ? "in" : "out");
            var filed = await FileAsync(emp, new { kind = "void", record_id = punch, reason = $"round {round}" });
            var id = filed.GetProperty("id").GetInt64();

            var answers = await Task.WhenAll(approvers.Select((a, i) => DecideAsync(a, id, i % 2 == 0 ? "approve" : "reject")));

            Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
            Assert.Equal(approvers.Count - 1, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
            var status = await App.Database.ScalarAsync<string>("SELECT status FROM corrections WHERE id = $1", id);
            Assert.Equal(status == "approved" ? 1 : 0, await CountAsync("SELECT count(*) FROM attendance_records WHERE correction_id = $1", id));
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_log WHERE action IN ('correction.approved', 'correction.rejected') AND (details->>'correction_id')::bigint = $1", id));
            foreach (var answer in answers)
            {
                answer.Dispose();
            }

            if (status == "approved")
            {
                // Back to where the round started, so the next round can punch the same action.
                await PunchIdAsync(emp, round % 2 == 0 ? "in" : "out");
            }
        }
    }

    [Fact]
    public async Task An_approval_racing_a_live_punch_leaves_an_alternating_timeline()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        for (var round = 0; round < 8; round++)
        {
            await PunchIdAsync(emp, "in");
            await Task.Delay(5);
            var filed = await FileAsync(emp, new { kind = "add", action = "out", timestamp = Iso(DateTime.UtcNow.AddMilliseconds(-2)), reason = "forgot to punch out" });

            var approving = DecideAsync(admin, filed.GetProperty("id").GetInt64(), "approve");
            var punching = Client.PunchAsync(emp, "out");
            using var approved = await approving;
            using var punched = await punching;

            // Either wins; never both (two outs in a row), never neither.
            Assert.True((approved.StatusCode == HttpStatusCode.OK) ^ (punched.StatusCode == HttpStatusCode.Created),
                $"approve {(int)approved.StatusCode}, punch {(int)punched.StatusCode}");
            var actions = await App.Database.ScalarAsync<string[]>("""
                SELECT array_agg(action ORDER BY timestamp, id) FROM attendance_records r
                WHERE employee_id = $1 AND kind = 'record' AND NOT EXISTS (SELECT 1 FROM attendance_records v WHERE v.voids_record_id = r.id)
                """, emp.Id);
            Assert.Equal(Enumerable.Range(0, actions!.Length).Select(i => i % 2 == 0 ? "in" : "out"), actions);
            Assert.Equal("out", actions[^1]);
        }
    }

    [Fact]
    public async Task Corrections_are_listed_in_scope_newest_first_and_filtered_by_status()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var first = await FileAsync(emp, new { kind = "add", action = "in", timestamp = Iso(DateTime.UtcNow.AddHours(-2)), reason = "one" });
        var second = await FileAsync(emp, new { kind = "add", action = "in", timestamp = Iso(DateTime.UtcNow.AddHours(-3)), reason = "two" });
        await FileAsync(other, new { kind = "add", action = "in", timestamp = Iso(DateTime.UtcNow.AddHours(-1)), reason = "three" });
        using (await DecideAsync(admin, first.GetProperty("id").GetInt64(), "reject"))
        {
        }

        async Task<List<long>> IdsAsync(Person who, string query)
        {
            using var response = await Client.SendAsync(HttpMethod.Get, "/attendance/corrections" + query, who.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.JsonAsync()).EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        }

        Assert.Equal([second.GetProperty("id").GetInt64(), first.GetProperty("id").GetInt64()], await IdsAsync(emp, ""));
        Assert.Equal([second.GetProperty("id").GetInt64()], await IdsAsync(emp, "?status=pending"));
        Assert.Equal(3, (await IdsAsync(admin, "")).Count);
        Assert.Equal(2, (await IdsAsync(admin, "?status=pending")).Count);
        Assert.Equal([second.GetProperty("id").GetInt64()], await IdsAsync(admin, $"?employee_id={emp.Id}&limit=1"));
        Assert.Equal([first.GetProperty("id").GetInt64()], await IdsAsync(admin, $"?employee_id={emp.Id}&limit=1&after={second.GetProperty("id").GetInt64()}"));
        using var snooping = await Client.SendAsync(HttpMethod.Get, $"/attendance/corrections?employee_id={emp.Id}", other.Token);
        using var othersOne = await Client.SendAsync(HttpMethod.Get, $"/attendance/corrections/{first.GetProperty("id").GetInt64()}", other.Token);
        await snooping.AssertProblemAsync(HttpStatusCode.Forbidden);
        await othersOne.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> BadFilings => new()
    {
        { """{"kind": "void", "record_id": 1}""", "reason" },
        { """{"kind": "void", "record_id": 1, "reason": "no"}""", "reason" },
        { """{"kind": "void", "record_id": 1, "reason": "   x  "}""", "reason" },
        { "{\"kind\": \"void\", \"record_id\": 1, \"reason\": \"" + new string('x', 501) + "\"}", "reason" },
        { """{"kind": "move", "reason": "because"}""", "kind" },
        { """{"reason": "because"}""", "kind" },
        { """{"kind": "void", "reason": "because"}""", "record_id" },
        { """{"kind": "void", "record_id": -4, "reason": "because"}""", "record_id" },
        { """{"kind": "void", "record_id": 1, "action": "in", "reason": "because"}""", "action" },
        { """{"kind": "add", "action": "in", "reason": "because"}""", "timestamp" },
        { """{"kind": "add", "action": "sideways", "timestamp": "2026-11-20T08:00:00Z", "reason": "because"}""", "action" },
        { """{"kind": "add", "action": "in", "timestamp": "2999-01-01T00:00:00Z", "reason": "because"}""", "future" },
        { """{"kind": "add", "action": "in", "timestamp": "2001-01-01T00:00:00Z", "reason": "because"}""", "CORRECTION_MAX_DAYS" },
        { """{"kind": "add", "action": "in", "timestamp": "2026-11-20T08:00:00Z", "record_id": 3, "reason": "because"}""", "record_id" },
        { """{"kind": "add", "action": "in", "timestamp": "yesterday", "reason": "because"}""", "timestamp" },
        { """{"kind": "void", "record_id": "seven", "reason": "because"}""", "record_id" },
        { """{"kind": "void", "record_id": 1, "reason": "because", "employee_id": 0}""", "employee_id" },
        { """{"kind": "void", "record_id": 1, "reason": "because", "apply": "yes"}""", "apply" },
        { "[]", "JSON" },
        { "{", "JSON" },
    };

    [Theory]
    [MemberData(nameof(BadFilings))]
    public async Task A_bad_filing_is_400_naming_the_field_and_writes_nothing(string json, string mentioned)
    {
        var emp = await App.CreatePersonAsync("emp2");
        await PunchIdAsync(emp, "in");

        using var response = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", emp.Token,
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(mentioned, await response.AssertProblemAsync(HttpStatusCode.BadRequest) + await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM corrections"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task Voids_of_someone_elses_or_a_voided_record_and_unknown_ids_are_clear_4xx_and_write_nothing()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var othersIn = await PunchIdAsync(other, "in");
        var empsIn = await PunchIdAsync(emp, "in");
        await FileAsync(admin, new { employee_id = emp.Id, kind = "void", record_id = empsIn, reason = "duplicate", apply = true });
        var before = await CountAsync("SELECT count(*) FROM corrections");

        using var othersRecord = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", emp.Token, new { kind = "void", record_id = othersIn, reason = "not mine" });
        using var voidedAgain = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", emp.Token, new { kind = "void", record_id = empsIn, reason = "again" });
        using var unknownRecord = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", emp.Token, new { kind = "void", record_id = 999999, reason = "ghost" });
        using var unknownEmployee = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", admin.Token,
            new { employee_id = 999999, kind = "add", action = "in", timestamp = Iso(DateTime.UtcNow.AddHours(-1)), reason = "ghost" });
        using var unknownCorrection = await DecideAsync(admin, 999999, "approve");
        using var badId = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections/abc/approve", admin.Token, new { });
        using var longNote = await DecideAsync(admin, 1, "reject", new string('n', 501));
        using var anonymous = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", null, new { kind = "void", record_id = empsIn, reason = "who" });

        Assert.Contains($"has no record {othersIn}", await othersRecord.AssertProblemAsync(HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("already voided", await voidedAgain.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        await unknownRecord.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknownEmployee.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknownCorrection.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.True(badId.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound);
        Assert.Contains("note", await longNote.AssertProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM corrections"));
    }
}
