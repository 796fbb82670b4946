using System.Globalization;
using System.Net;
using System.Text.Json;
using AttendanceSystem.Attendance.Corrections;
using AttendanceSystem.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>A deployment where punches and corrections may be dated months back, to lay out a whole past month.</summary>
public sealed class PastMonthsAttendanceApp : AttendanceApp
{
    protected override void Adjust(IDictionary<string, string?> settings)
    {
        settings["PUNCH_BACKDATE_MINUTES"] = "200000";
        settings["PUNCH_MAX_BACKDATE_DAYS"] = "100";
        settings["CORRECTION_MAX_DAYS"] = "100";
        settings["MAX_OPEN_HOURS"] = "336";
    }
}

/// <summary>Closing a month: nothing dated in it changes (punches, corrections, approvals) until it is reopened.</summary>
public sealed class PeriodTests(PastMonthsAttendanceApp app) : AttendanceTestBase<PastMonthsAttendanceApp>(app)
{
    /// <summary>The month before last: always over, always within the 100 days this app allows.</summary>
    private static readonly DateTime MonthStart = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-2);

    private static readonly string Month = MonthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> PostAsync(Person who, string path, object? body = null) =>
        await Client.SendAsync(HttpMethod.Post, path, who.Token, body ?? new { });

    private async Task<long> IdOfAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_closed_month_refuses_punches_corrections_and_approvals_until_reopened()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var day = MonthStart.AddDays(9);
        var firstIn = await IdOfAsync(await Client.PunchAsync(emp, "in", Iso(day.AddHours(9))), HttpStatusCode.Created);
        var lastOut = await IdOfAsync(await Client.PunchAsync(emp, "out", Iso(day.AddHours(17))), HttpStatusCode.Created);
        var pendingVoid = await IdOfAsync(await PostAsync(emp, "/attendance/corrections",
            new { kind = "void", record_id = lastOut, reason = "stayed later" }), HttpStatusCode.Created);

        using var close = await PostAsync(admin, $"/periods/{Month}/close");
        using var punchInside = await Client.PunchAsync(emp, "in", Iso(day.AddDays(1).AddHours(9)));
        using var addInside = await PostAsync(admin, "/attendance/corrections",
            new { employee_id = emp.Id, kind = "add", action = "in", timestamp = Iso(day.AddDays(2).AddHours(9)), reason = "forgot", apply = true });
        using var voidInside = await PostAsync(admin, "/attendance/corrections",
            new { employee_id = emp.Id, kind = "void", record_id = firstIn, reason = "wrong" });
        using var approve = await PostAsync(admin, $"/attendance/corrections/{pendingVoid}/approve");
        using var list = await Client.SendAsync(HttpMethod.Get, "/periods", emp.Token);

        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var closed = await close.JsonAsync();
        Assert.Equal(Month, closed.GetProperty("month").GetString());
        Assert.Equal(Iso(MonthStart), closed.GetProperty("from").GetString());
        Assert.Equal(Iso(MonthStart.AddMonths(1)), closed.GetProperty("to").GetString());
        Assert.Contains("closed period", await punchInside.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("closed period", await addInside.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("closed period", await voidInside.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("closed period", await approve.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal("pending", await App.Database.ScalarAsync<string>("SELECT status FROM corrections WHERE id = $1", pendingVoid));
        Assert.Equal(2, await App.Database.ScalarAsync<long>("SELECT count(*) FROM attendance_records WHERE employee_id = $1", emp.Id));
        Assert.Equal([Month], (await list.JsonAsync()).EnumerateArray().Select(p => p.GetProperty("month").GetString()));

        // Punching today is not affected; after reopening, the approval goes through.
        Assert.Equal(HttpStatusCode.Created, (await Client.PunchAsync(admin, "in")).StatusCode);
        using var reopen = await PostAsync(admin, $"/periods/{Month}/reopen");
        using var approveAgain = await PostAsync(admin, $"/attendance/corrections/{pendingVoid}/approve");
        Assert.Equal(HttpStatusCode.OK, reopen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approveAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PunchAsync(emp, "out")).StatusCode);
        Assert.Equal(["period.closed", "period.reopened"], await App.Database.ScalarAsync<string[]>(
            "SELECT array_agg(action ORDER BY id) FROM audit_log WHERE action LIKE 'period.%'") ?? []);
        Assert.Equal(1, await App.Database.ScalarAsync<int>(
            "SELECT (details->>'pending_corrections')::int FROM audit_log WHERE action = 'period.closed'"));
    }

    [Fact]
    public async Task Only_admins_close_ended_months_once_and_bad_months_are_400()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var thisMonth = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        using var byEmployee = await PostAsync(emp, $"/periods/{Month}/close");
        using var current = await PostAsync(admin, $"/periods/{thisMonth}/close");
        using var first = await PostAsync(admin, $"/periods/{Month}/close");
        using var twice = await PostAsync(admin, $"/periods/{Month}/close");
        using var reopenOpen = await PostAsync(admin, $"/periods/{MonthStart.AddMonths(-1):yyyy-MM}/reopen");

        await byEmployee.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("has not ended", await current.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("already closed", await twice.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("is not closed", await reopenOpen.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        foreach (var bad in new[] { "2026-13", "2026-1", "26-01", "1999-12", "november", "2026-11-01" })
        {
            using var response = await PostAsync(admin, $"/periods/{bad}/close");
            Assert.Contains("YYYY-MM", await response.AssertProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_backdated_punch_into_a_closed_month_is_refused_not_filed()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        using (await PostAsync(admin, $"/periods/{Month}/close"))
        {
        }

        using var punch = await Client.PunchAsync(emp, "in", Iso(MonthStart.AddDays(3)));

        Assert.Contains("closed period", await punch.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(0, await App.Database.ScalarAsync<long>("SELECT count(*) FROM corrections"));
    }

    [Fact]
    public async Task A_forgotten_in_whose_check_out_would_fall_in_a_closed_month_is_left_for_a_person_to_fix()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        using (var punch = await Client.PunchAsync(emp, "in", Iso(MonthStart.AddDays(5).AddHours(9))))
        {
            Assert.Equal(HttpStatusCode.Created, punch.StatusCode);
        }

        using (var close = await PostAsync(admin, $"/periods/{Month}/close"))
        {
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        var closed = await App.Services.GetRequiredService<AutoCheckout>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, closed);
        Assert.Equal(["in"], await StoredActionsAsync(emp.Id));
        Assert.Equal(0, await App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'punch.auto_checkout'"));

        // Reopened, the same round closes it.
        using (await PostAsync(admin, $"/periods/{Month}/reopen"))
        {
        }

        Assert.Equal(1, await App.Services.GetRequiredService<AutoCheckout>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(["in", "out"], await StoredActionsAsync(emp.Id));
    }

    [Fact]
    public async Task A_closed_months_holidays_cannot_change()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var day = MonthStart.AddDays(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var added = await PostAsync(admin, "/holidays", new { date = day, name = "Before closing" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using (await PostAsync(admin, $"/periods/{Month}/close"))
        {
        }

        using var another = await PostAsync(admin, "/holidays", new { date = MonthStart.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), name = "After closing" });
        using var removed = await Client.SendAsync(HttpMethod.Delete, $"/holidays/{day}", admin.Token);

        Assert.Contains("closed period", await another.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("closed period", await removed.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(["Before closing"], (await App.Database.ScalarAsync<string[]>("SELECT array_agg(name) FROM holidays"))!);
    }
}
