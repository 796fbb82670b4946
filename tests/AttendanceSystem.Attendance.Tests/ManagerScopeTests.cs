using System.Net;
using AttendanceSystem.Data.Teams;
using AttendanceSystem.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// The scope matrix over REST: an employee reads themself, a manager themself and their team, an
/// admin everyone — history, summary, presence, export, corrections and their approval.
/// </summary>
public sealed class ManagerScopeTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private async Task<(Person Admin, Person Manager, Person Member, Person Outsider)> TeamAsync()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var manager = await App.CreatePersonAsync("lead", "manager");
        var member = await App.CreatePersonAsync("member");
        var outsider = await App.CreatePersonAsync("outsider");
        var team = await App.Database.ScalarAsync<int>("INSERT INTO teams (name, manager_id) VALUES ('Ours', $1) RETURNING id", manager.Id);
        await App.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1 WHERE id = $2", team, member.Id);
        await App.Services.GetRequiredService<TeamDirectory>().ReloadAsync(CancellationToken.None);
        foreach (var person in new[] { member, outsider })
        {
            using var punched = await Client.PunchAsync(person, "in", Iso(DateTime.UtcNow.AddMinutes(-5)));
            Assert.Equal(HttpStatusCode.Created, punched.StatusCode);
        }

        return (admin, manager, member, outsider);
    }

    [Fact]
    public async Task Each_role_reads_exactly_its_scope()
    {
        var (admin, manager, member, outsider) = await TeamAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        // (reader, whose records, allowed)
        (Person Reader, Person Whose, bool Allowed)[] matrix =
        [
            (member, member, true), (member, outsider, false), (member, manager, false),
            (manager, manager, true), (manager, member, true), (manager, outsider, false),
            (admin, member, true), (admin, outsider, true),
        ];
        foreach (var (reader, whose, allowed) in matrix)
        {
            foreach (var path in new[] { $"/attendance/{whose.Id}?date={today}", $"/attendance/{whose.Id}/summary" })
            {
                using var response = await Client.SendAsync(HttpMethod.Get, path, reader.Token);
                if (allowed)
                {
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{reader.Username} reading {path}: {response.StatusCode}");
                }
                else
                {
                    Assert.Contains("your team's as its manager", await response.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
                }
            }
        }

        using (var presence = await Client.SendAsync(HttpMethod.Get, "/attendance/presence", manager.Token))
        {
            Assert.Equal(["member"], (await presence.JsonAsync()).EnumerateArray().Select(p => p.GetProperty("username").GetString()));
        }

        using (var everyone = await Client.SendAsync(HttpMethod.Get, "/attendance/presence", admin.Token))
        {
            Assert.Equal(["member", "outsider"], (await everyone.JsonAsync()).EnumerateArray().Select(p => p.GetProperty("username").GetString()));
        }

        using (var byEmployee = await Client.SendAsync(HttpMethod.Get, "/attendance/presence", member.Token))
        {
            await byEmployee.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var export = await Client.SendAsync(HttpMethod.Get, "/attendance/export.csv", manager.Token))
        {
            var csv = await export.Content.ReadAsStringAsync();
            Assert.Contains(",member,", csv, StringComparison.Ordinal);
            Assert.DoesNotContain("outsider", csv, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_manager_approves_their_members_corrections_only_and_lists_only_theirs()
    {
        var (_, manager, member, outsider) = await TeamAsync();
        var ids = new List<long>();
        foreach (var person in new[] { member, outsider })
        {
            using var filed = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", person.Token,
                new { kind = "add", action = "out", timestamp = Iso(DateTime.UtcNow.AddSeconds(-1)), reason = "forgot to punch out" });
            Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
            ids.Add((await filed.JsonAsync()).GetProperty("id").GetInt64());
        }

        using (var list = await Client.SendAsync(HttpMethod.Get, "/attendance/corrections?status=pending", manager.Token))
        {
            Assert.Equal([member.Id], (await list.JsonAsync()).EnumerateArray().Select(c => c.GetProperty("employee_id").GetInt32()));
        }

        using (var theirs = await Client.SendAsync(HttpMethod.Post, $"/attendance/corrections/{ids[1]}/approve", manager.Token, new { }))
        {
            await theirs.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var ours = await Client.SendAsync(HttpMethod.Post, $"/attendance/corrections/{ids[0]}/approve", manager.Token, new { }))
        {
            Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        }

        Assert.Equal(["in", "out"], await StoredActionsAsync(member.Id));
        Assert.Equal(["in"], await StoredActionsAsync(outsider.Id));

        // The manager was told of the member's request (an approver), not of the outsider's.
        Assert.Equal(1, await App.Database.ScalarAsync<long>(
            "SELECT count(*) FROM notifications WHERE recipient_id = $1 AND kind = 'correction_requested'", manager.Id));
    }

    [Fact]
    public async Task Someone_created_straight_into_a_team_is_in_its_managers_scope_as_soon_as_it_commits()
    {
        var (_, manager, _, _) = await TeamAsync();
        var directory = App.Services.GetRequiredService<TeamDirectory>();

        // Written by another process (as auth does): only the database's NOTIFY tells this one.
        var newcomer = await App.Database.ScalarAsync<int>(
            "INSERT INTO employees (username, password_hash, team_id) SELECT 'newcomer', 'x', id FROM teams WHERE name = 'Ours' RETURNING id");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!directory.Manages(manager.Id, newcomer))
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
