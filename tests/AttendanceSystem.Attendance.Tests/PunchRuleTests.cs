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
        Assert.Equal(RuleRefusal.Forbidden, PunchRule.AccountDeactivated.Refusal);
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

    private async Task<long> CorrectionAsync(int employeeId) => await App.Database.ScalarAsync<long>(
        "INSERT INTO corrections (employee_id, kind, record_id, reason, requested_by) VALUES ($1, 'void', 0, 'test', $1) RETURNING id", employeeId);

    private async Task<long> RecordAsync(int employeeId, string action, string timestamp) => await App.Database.ScalarAsync<long>(
        "INSERT INTO attendance_records (employee_id, action, timestamp) VALUES ($1, $2, $3::timestamptz) RETURNING id", employeeId, action, timestamp);

    private const string Void = """
        INSERT INTO attendance_records (employee_id, kind, action, voids_record_id, source, correction_id)
        VALUES ($1, 'void', NULL, $2, 'correction', $3)
        """;

    [Fact]
    public async Task in_and_out_must_alternate()
    {
        var id = await EmployeeAsync();
        var firstIn = await RecordAsync(id, "in", "2026-11-20T08:00:00Z");
        await RecordAsync(id, "out", "2026-11-20T16:00:00Z");
        var correction = await CorrectionAsync(id);

        // Voiding the first "in" would leave an "out" first; adding an "out" inside the shift, two outs in a row.
        var voidFirst = await Assert.ThrowsAsync<PostgresException>(() => App.Database.ScalarAsync<object>(Void, id, firstIn, correction));
        var addOut = await Assert.ThrowsAsync<PostgresException>(() => App.Database.ScalarAsync<object>(
            "INSERT INTO attendance_records (employee_id, action, timestamp, source, correction_id) VALUES ($1, 'out', '2026-11-20T12:00:00Z', 'correction', $2)",
            id, correction));

        Assert.Equal(PunchRule.InAndOutMustAlternate.SqlState, voidFirst.SqlState);
        Assert.Contains($"record {firstIn + 1} (\"out\" at 2026-11-20T16:00:00.000Z)", voidFirst.MessageText, StringComparison.Ordinal);
        Assert.Equal(PunchRule.InAndOutMustAlternate.SqlState, addOut.SqlState);
        Assert.Contains($"record {firstIn + 1}", addOut.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task record_not_found()
    {
        var id = await EmployeeAsync();
        var other = await EmployeeAsync();
        var othersRecord = await RecordAsync(other, "in", "2026-11-20T08:00:00Z");
        var correction = await CorrectionAsync(id);

        var state = await RefusalAsync(Void, id, othersRecord, correction);

        Assert.Equal(PunchRule.RecordNotFound.SqlState, state);
        Assert.Equal(RuleRefusal.NotFound, PunchRule.RecordNotFound.Refusal);
    }

    [Fact]
    public async Task record_already_voided()
    {
        var id = await EmployeeAsync();
        await RecordAsync(id, "in", "2026-11-20T08:00:00Z");
        var lastOut = await RecordAsync(id, "out", "2026-11-20T16:00:00Z");
        var correction = await CorrectionAsync(id);
        await App.Database.ScalarAsync<object>(Void, id, lastOut, correction);

        var state = await RefusalAsync(Void, id, lastOut, correction);

        Assert.Equal(PunchRule.RecordAlreadyVoided.SqlState, state);
        // Voiding the last record moved the employee's state back to the one before it.
        Assert.Equal("in", await App.Database.ScalarAsync<string>("SELECT last_action FROM employees WHERE id = $1", id));
    }

    [Fact]
    public async Task audit_log_is_append_only()
    {
        await App.Database.ScalarAsync<object>("INSERT INTO audit_log (actor_id, action, employee_id, details) VALUES (NULL, 'test', NULL, '{}')");

        var update = await RefusalAsync("UPDATE audit_log SET action = 'changed'");
        var delete = await RefusalAsync("DELETE FROM audit_log");
        var truncate = await RefusalAsync("TRUNCATE audit_log");

        Assert.All(new[] { update, delete, truncate }, state => Assert.Equal(PunchRule.AuditLogIsAppendOnly.SqlState, state));
    }

    [Fact]
    public async Task period_closed()
    {
        var id = await EmployeeAsync();
        var admin = await EmployeeAsync();
        await App.Database.ScalarAsync<object>(
            "INSERT INTO closed_periods (month, starts_at, ends_at, closed_by) VALUES ('2026-10-01', '2026-10-01Z', '2026-11-01Z', $1)", admin);

        var state = await RefusalAsync(
            "INSERT INTO attendance_records (employee_id, action, timestamp) VALUES ($1, 'in', '2026-10-15T09:00:00Z')", id);
        await InsertAsync(id, "in", "2026-11-02T09:00:00Z");

        Assert.Equal(PunchRule.PeriodClosed.SqlState, state);
    }

    /// <summary>The scripts the latest migrations apply: together they name every rule.</summary>
    private static readonly string[] CurrentScripts = ["punch_rules.v2.sql", "audit_log.v1.sql"];

    [Fact]
    public void Every_rule_has_a_test_named_after_it_and_every_rule_the_sql_names_is_known()
    {
        var sql = string.Concat(CurrentScripts.Select(file => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "Data", "Sql", file))));
        var named = RuleName().Matches(sql).Select(m => m.Groups[1].Value).ToHashSet();
        var tested = typeof(PunchRuleTests).GetMethods().Select(m => m.Name).ToHashSet();

        // records_are_append_only is v1's guard, still in force (v2 replaces only the rules function).
        named.Add(PunchRule.RecordsAreAppendOnly.Name);
        Assert.Equal(PunchRule.All.Select(r => r.Name).Order(), named.Order());
        Assert.All(PunchRule.All, rule => Assert.Contains(rule.Name, tested));
        Assert.Equal(PunchRule.All.Count, PunchRule.All.Select(r => r.SqlState).Distinct().Count());
        Assert.All(CurrentScripts, file => Assert.DoesNotContain(":'", SqlScripts.Load(file), StringComparison.Ordinal));
    }

    [GeneratedRegex(@":'([a-z_]+)'")]
    private static partial Regex RuleName();
}
