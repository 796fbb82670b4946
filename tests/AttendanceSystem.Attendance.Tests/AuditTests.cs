using System.Net;
using System.Text.Json;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>The audit log: written with each change, readable with filters, and its hash chain catches tampering.</summary>
public sealed class AuditTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private async Task<JsonElement> VerifyAsync(Person admin)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "/audit/verify", admin.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<List<JsonElement>> AuditAsync(Person admin, string query = "")
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "/audit" + query, admin.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).EnumerateArray().ToList();
    }

    /// <summary>Five audited changes by two people: a backdated punch (a correction), its approval, and three exports.</summary>
    private async Task<(Person Admin, Person Emp)> SomeHistoryAsync()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var emp = await App.CreatePersonAsync("emp2");
        using var backdated = await Client.PunchAsync(emp, "in", Iso(DateTime.UtcNow.AddHours(-2)));
        var id = (await backdated.JsonAsync()).GetProperty("id").GetInt64();
        using (await Client.SendAsync(HttpMethod.Post, $"/attendance/corrections/{id}/approve", admin.Token, new { }))
        {
        }

        for (var i = 0; i < 3; i++)
        {
            using var export = await Client.SendAsync(HttpMethod.Get, "/attendance/export.csv", admin.Token);
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        }

        return (admin, emp);
    }

    [Fact]
    public async Task Changes_are_audited_in_order_with_their_actor_and_can_be_filtered()
    {
        var (admin, emp) = await SomeHistoryAsync();

        var all = await AuditAsync(admin);
        var byEmployee = await AuditAsync(admin, $"?employee_id={emp.Id}");
        var exports = await AuditAsync(admin, $"?action=export.downloaded&actor_id={admin.Id}&limit=2&after=2");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var fromToday = await AuditAsync(admin, $"?from={today}&to={today}");
        using var asEmployee = await Client.SendAsync(HttpMethod.Get, "/audit", emp.Token);
        using var badFilter = await Client.SendAsync(HttpMethod.Get, "/audit?from=last-week", admin.Token);

        Assert.Equal(["punch.backdated", "correction.approved", "export.downloaded", "export.downloaded", "export.downloaded"],
            all.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal([1L, 2, 3, 4, 5], all.Select(a => a.GetProperty("id").GetInt64()));
        Assert.Equal("emp2", all[0].GetProperty("actor").GetString());
        Assert.Equal("boss", all[1].GetProperty("actor").GetString());
        Assert.Equal("approved", all[1].GetProperty("details").GetProperty("status").GetString());
        Assert.Equal(2, byEmployee.Count);
        Assert.Equal([3L, 4], exports.Select(a => a.GetProperty("id").GetInt64()));
        Assert.Equal(5, fromToday.Count);
        await asEmployee.AssertProblemAsync(HttpStatusCode.Forbidden);
        await badFilter.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await VerifyAsync(admin)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Verify_points_at_a_row_changed_behind_the_applications_back()
    {
        var (admin, _) = await SomeHistoryAsync();
        var clean = await VerifyAsync(admin);

        // As a superuser could: switch the guard off, rewrite row 3, switch it on again.
        await App.Database.ScalarAsync<object>("""
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            UPDATE audit_log SET details = '{"format": "nothing to see"}' WHERE id = 3;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            """);
        var tampered = await VerifyAsync(admin);

        Assert.True(clean.GetProperty("ok").GetBoolean());
        Assert.Equal(5, clean.GetProperty("rows").GetInt64());
        Assert.False(tampered.GetProperty("ok").GetBoolean());
        Assert.Equal(3, tampered.GetProperty("first_bad_id").GetInt64());
    }

    [Fact]
    public async Task Verify_finds_a_removed_row_and_a_removed_tail()
    {
        var (admin, _) = await SomeHistoryAsync();

        await App.Database.ScalarAsync<object>("""
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            DELETE FROM audit_log WHERE id = 2;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            """);
        var middle = await VerifyAsync(admin);
        await App.Database.ScalarAsync<object>("""
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            INSERT INTO audit_log SELECT 2, at, actor_id, 'forged', employee_id, details, hash FROM audit_log WHERE id = 1;
            DELETE FROM audit_log WHERE id = 2;
            DELETE FROM audit_log WHERE id >= 4;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            """);
        var tail = await VerifyAsync(admin);

        Assert.False(middle.GetProperty("ok").GetBoolean());
        Assert.Equal(2, middle.GetProperty("first_bad_id").GetInt64());
        Assert.False(tail.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Concurrent_writers_never_fork_the_chain()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var people = new List<Person>();
        for (var i = 0; i < 10; i++)
        {
            people.Add(await App.CreatePersonAsync($"emp{i}"));
        }

        var writes = people.Select(p => Client.PunchAsync(p, "in", Iso(DateTime.UtcNow.AddHours(-1))))
            .Concat(Enumerable.Range(0, 10).Select(_ => Client.SendAsync(HttpMethod.Get, "/attendance/export.csv", admin.Token)));
        foreach (var response in await Task.WhenAll(writes))
        {
            Assert.True(response.IsSuccessStatusCode);
            response.Dispose();
        }

        var verified = await VerifyAsync(admin);
        Assert.True(verified.GetProperty("ok").GetBoolean(), verified.ToString());
        Assert.Equal(20, verified.GetProperty("rows").GetInt64());
    }
}
