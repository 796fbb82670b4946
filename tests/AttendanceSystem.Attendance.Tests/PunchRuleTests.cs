using System.Text.RegularExpressions;
using AttendanceSystem.Data.Rules;
using AttendanceSystem.Testing;
using Npgsql;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// Each punch rule, by name, against the database itself (a raw INSERT, as any other client of the
/// database would write): the trigger refuses with that rule's SQLSTATE. The API's answers to the
/// same rules are in <see cref="PunchTests"/>.
/// </summary>
public sealed partial class PunchRuleTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private async Task<int> EmployeeAsync(bool active = true) => await App.Database.ScalarAsync<int>(
        "INSERT INTO employees (username, password_hash, active) VALUES ('r-' || md5(random()::text), 'x', $1) RETURNING id", active);

    private async Task<string> RefusalAsync(string sql, params object[] parameters)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => App.Database.ScalarAsync<object>(sql, parameters));
        return refused.SqlState;
    }

    private Task InsertAsync(int employeeId, string action, string? timestamp = null, string? key = null) =>
        App.Database.ScalarAsync<object>(
            "INSERT INTO attendance_records (employee_id, action, timestamp, idempotency_key) VALUES ($1, $2, $3::timestamptz, $4)",
            employeeId, action, (object?)timestamp ?? DBNull.Value, (object?)key ?? DBNull.Value);

    [Fact]
    public async Task first_punch_must_be_in()
    {
        var id = await EmployeeAsync();

        var state = await RefusalAsync("INSERT INTO attendance_records (employee_id, action) VALUES ($1, 'out')", id);

        Assert.Equal(PunchRule.FirstPunchMustBeIn.SqlState, state);
    }

    [Fact]
    public async Task no_same_action_twice()
    {
        var id = await EmployeeAsync();
        await InsertAsync(id, "in");

        var state = await RefusalAsync("INSERT INTO attendance_records (employee_id, action) VALUES ($1, 'in')", id);

        Assert.Equal(PunchRule.NoSameActionTwice.SqlState, state);
    }

    [Fact]
    public async Task not_before_last_punch()
    {
        var id = await EmployeeAsync();
        await InsertAsync(id, "in", "2026-11-20T09:00:00Z");

        var state = await RefusalAsync(
            "INSERT INTO attendance_records (employee_id, action, timestamp) VALUES ($1, 'out', '2026-11-20T08:00:00Z')", id);

        Assert.Equal(PunchRule.NotBeforeLastPunch.SqlState, state);
    }

    [Fact]
    public async Task idempotency_key_reused()
    {
        var id = await EmployeeAsync();
        await InsertAsync(id, "in", key: "k-1");

        var state = await RefusalAsync(
            "INSERT INTO attendance_records (employee_id, action, idempotency_key) VALUES ($1, 'out', 'k-1')", id);

        Assert.Equal(PunchRule.IdempotencyKeyReused.SqlState, state);
    }

    [Fact]
    public async Task account_deactivated()
    {
        var id = await EmployeeAsync(active: false);

        var state = await RefusalAsync("INSERT INTO attendance_records (employee_id, action) VALUES ($1, 'in')", id);

        Assert.Equal(PunchRule.AccountDeactivated.SqlState, state);
        Assert.True(PunchRule.AccountDeactivated.Forbidden);
    }

    [Fact]
    public async Task records_are_append_only()
    {
        var id = await EmployeeAsync();
        await InsertAsync(id, "in");

        var update = await RefusalAsync("UPDATE attendance_records SET action = 'out' WHERE employee_id = $1", id);
        var delete = await RefusalAsync("DELETE FROM attendance_records WHERE employee_id = $1", id);

        Assert.Equal(PunchRule.RecordsAreAppendOnly.SqlState, update);
        Assert.Equal(PunchRule.RecordsAreAppendOnly.SqlState, delete);
    }

    [Fact]
    public void Every_rule_has_a_test_named_after_it_and_every_rule_the_sql_names_is_known()
    {
        var sql = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "Data", "Sql", "punch_rules.v1.sql"));
        var named = RuleName().Matches(sql).Select(m => m.Groups[1].Value).ToHashSet();
        var tested = typeof(PunchRuleTests).GetMethods().Select(m => m.Name).ToHashSet();

        Assert.Equal(PunchRule.All.Select(r => r.Name).Order(), named.Order());
        Assert.All(PunchRule.All, rule => Assert.Contains(rule.Name, tested));
        Assert.Equal(PunchRule.All.Count, PunchRule.All.Select(r => r.SqlState).Distinct().Count());
        Assert.DoesNotContain(":'", SqlScripts.Load("punch_rules.v1.sql"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@":'([a-z_]+)'")]
    private static partial Regex RuleName();
}
