using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

/// <summary>Teams with one manager: created, staffed, renamed and deleted by admins; a manager sees their team in full.</summary>
public sealed class TeamsTests(AuthApp app) : AuthTestBase(app)
{
    private Task<string[]?> AuditActionsAsync() =>
        App.Database.ScalarAsync<string[]>("SELECT array_agg(action ORDER BY id) FROM audit_log WHERE action LIKE 'team.%' OR action = 'employee.team_changed'");

    [Fact]
    public async Task An_admin_builds_a_team_and_its_manager_sees_the_members_in_full_and_nobody_else()
    {
        var admin = await AdminTokenAsync();
        var (leadId, _) = await RegisterAsync("lead");
        var (memberId, _) = await RegisterAsync("member");
        var (outsiderId, _) = await RegisterAsync("outsider");

        using (var asEmployee = await SendAsync(HttpMethod.Post, "/teams", admin, new { name = "Sales", manager_id = leadId }))
        {
            Assert.Contains("make them a manager first", await AssertProblemAsync(asEmployee, HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        using (await SendAsync(HttpMethod.Put, $"/employees/{leadId}/role", admin, new { role = "manager" }))
        {
        }

        // A role change revokes the tokens issued before it: the new manager signs in again.
        var leadToken = await LoginAsync("lead");

        using var created = await SendAsync(HttpMethod.Post, "/teams", admin, new { name = "Sales", manager_id = leadId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var teamId = (await created.JsonAsync()).GetProperty("id").GetInt32();
        using (var joined = await SendAsync(HttpMethod.Patch, $"/employees/{memberId}", admin, new { team_id = teamId }))
        {
            Assert.Equal(teamId, (await joined.JsonAsync()).GetProperty("team_id").GetInt32());
        }

        using (var teams = await SendAsync(HttpMethod.Get, "/teams", leadToken))
        {
            var team = Assert.Single((await teams.JsonAsync()).EnumerateArray());
            Assert.Equal(("Sales", leadId, 1), (team.GetProperty("name").GetString(), team.GetProperty("manager_id").GetInt32(), team.GetProperty("member_count").GetInt32()));
        }

        // The lead's token still says "employee" (roles travel in tokens); a fresh login says manager.
        using var login = await LoginAsync("lead", "correct-horse");
        var managerToken = (await login.JsonAsync()).GetProperty("token").GetString()!;
        using (var member = await SendAsync(HttpMethod.Get, $"/employees/{memberId}", managerToken))
        {
            Assert.Equal("member", (await member.JsonAsync()).GetProperty("username").GetString());
            Assert.True((await member.JsonAsync()).TryGetProperty("role", out _), "the manager sees their member in full");
        }

        using (var outsider = await SendAsync(HttpMethod.Get, $"/employees/{outsiderId}", managerToken))
        {
            Assert.Equal(["id", "username", "full_name"], (await outsider.JsonAsync()).EnumerateObject().Select(p => p.Name));
        }

        using (var filtered = await SendAsync(HttpMethod.Get, $"/employees?team_id={teamId}", managerToken))
        {
            Assert.Equal(["member"], (await filtered.JsonAsync()).EnumerateArray().Select(e => e.GetProperty("username").GetString()));
        }

        using (var demoted = await SendAsync(HttpMethod.Put, $"/employees/{leadId}/role", admin, new { role = "employee" }))
        {
            Assert.Contains("manages 'Sales'", await AssertProblemAsync(demoted, HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        using (var stillStaffed = await SendAsync(HttpMethod.Delete, $"/teams/{teamId}", admin))
        {
            Assert.Contains("still has 1 member", await AssertProblemAsync(stillStaffed, HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        using (await SendAsync(HttpMethod.Patch, $"/employees/{memberId}", admin, new { team_id = (int?)null }))
        {
        }

        using (var renamed = await SendAsync(HttpMethod.Patch, $"/teams/{teamId}", admin, new { name = "Field sales", manager_id = (int?)null }))
        {
            var body = await renamed.JsonAsync();
            Assert.Equal("Field sales", body.GetProperty("name").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("manager_id").ValueKind);
        }

        // A team's kiosk by the door: the team cannot go while the kiosk serves it, and can once it is revoked.
        var kioskId = await App.Database.ScalarAsync<int>(
            "INSERT INTO kiosks (name, team_id, token_hash, created_by) VALUES ('Sales door', $1, sha256('t'::bytea), $2) RETURNING id", teamId, leadId);
        using (var hasKiosk = await SendAsync(HttpMethod.Delete, $"/teams/{teamId}", admin))
        {
            Assert.Contains("kiosk 'Sales door'", await AssertProblemAsync(hasKiosk, HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        await App.Database.ScalarAsync<object>("UPDATE kiosks SET revoked_at = now() WHERE id = $1", kioskId);
        using (var deleted = await SendAsync(HttpMethod.Delete, $"/teams/{teamId}", admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Null(await App.Database.ScalarAsync<int?>("SELECT team_id FROM kiosks WHERE id = $1", kioskId));

        Assert.Equal(["team.created", "employee.team_changed", "employee.team_changed", "team.changed", "team.deleted"], (await AuditActionsAsync())!);
    }

    [Fact]
    public async Task Bad_team_requests_are_refused_and_change_nothing()
    {
        var admin = await AdminTokenAsync();
        var (empId, empToken) = await RegisterAsync("emp2");
        using (await SendAsync(HttpMethod.Post, "/teams", admin, new { name = "Support" }))
        {
        }

        var before = await AuditActionsAsync();
        (HttpMethod Method, string Path, string? Token, object Body, HttpStatusCode Status)[] cases =
        [
            (HttpMethod.Post, "/teams", admin, new { name = "support" }, HttpStatusCode.Conflict),
            (HttpMethod.Post, "/teams", admin, new { name = "  " }, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/teams", admin, new { name = new string('x', 101) }, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/teams", admin, new { name = "Night", manager_id = 999999 }, HttpStatusCode.NotFound),
            (HttpMethod.Post, "/teams", admin, new { name = "Night", manager_id = empId }, HttpStatusCode.Conflict),
            (HttpMethod.Post, "/teams", empToken, new { name = "Mine" }, HttpStatusCode.Forbidden),
            (HttpMethod.Patch, "/teams/999999", admin, new { name = "Ghost" }, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"/employees/{empId}", admin, new { team_id = 999999 }, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"/employees/{empId}", admin, new { schedule_id = 999999 }, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"/employees/{empId}", empToken, new { team_id = 1 }, HttpStatusCode.Forbidden),
            (HttpMethod.Put, $"/employees/{empId}/role", admin, new { role = "boss" }, HttpStatusCode.BadRequest),
        ];

        foreach (var (method, path, token, body, status) in cases)
        {
            using var response = await SendAsync(method, path, token, body);
            await AssertProblemAsync(response, status);
        }

        Assert.Equal(before, await AuditActionsAsync());
        Assert.Equal(["Support"], (await App.Database.ScalarAsync<string[]>("SELECT array_agg(name::text) FROM teams"))!);
        Assert.Null(await App.Database.ScalarAsync<int?>("SELECT team_id FROM employees WHERE id = $1", empId));
    }
}
