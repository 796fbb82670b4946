using System.Net;
using System.Text.Json;
using AttendanceSystem.Attendance.Corrections;
using AttendanceSystem.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>Forgotten check-outs: closed once, with source auto, flagged for review, audited, and the employee told.</summary>
public sealed class AutoCheckoutTests(AttendanceApp app) : AttendanceTestBase(app)
{
    /// <summary>An "in" <paramref name="hoursAgo"/> hours back, applied by an admin (the way an old record gets in).</summary>
    private async Task<(Person Emp, Person Admin, DateTime Since)> ForgottenAsync(double hoursAgo = 20)
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var since = DateTime.UtcNow.AddHours(-hoursAgo);
        since = new DateTime(since.Ticks - (since.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        using var added = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", admin.Token,
            new { employee_id = emp.Id, kind = "add", action = "in", timestamp = Iso(since), reason = "badge reader was down", apply = true });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        return (emp, admin, since);
    }

    private Task<long> AutoOutsAsync(int employeeId) => App.Database.ScalarAsync<long>(
        "SELECT count(*) FROM attendance_records WHERE employee_id = $1 AND source = 'auto'", employeeId);

    [Fact]
    public async Task An_in_open_too_long_is_closed_eight_hours_later_flagged_audited_and_notified()
    {
        var (emp, admin, since) = await ForgottenAsync();
        var fresh = await App.CreatePersonAsync("emp3");
        using (await Client.PunchAsync(fresh, "in"))
        {
        }

        await App.Services.GetRequiredService<AutoCheckout>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, await AutoOutsAsync(emp.Id));
        Assert.Equal(0, await AutoOutsAsync(fresh.Id));
        var at = await App.Database.ScalarAsync<DateTime>("SELECT timestamp FROM attendance_records WHERE employee_id = $1 AND source = 'auto'", emp.Id);
        Assert.Equal(since.AddHours(8), at);
        var day = since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var summary = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}/summary?from={day}&to={day}", emp.Token);
        var row = Assert.Single((await summary.JsonAsync()).EnumerateArray());
        Assert.True(row.GetProperty("needs_review").GetBoolean());
        Assert.False(row.GetProperty("open").GetBoolean());
        using var notifications = await Client.SendAsync(HttpMethod.Get, "/notifications", emp.Token);
        Assert.Contains((await notifications.JsonAsync()).EnumerateArray(), n => n.GetProperty("kind").GetString() == "auto_checkout");
        Assert.Equal(1, await App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'punch.auto_checkout' AND employee_id = $1 AND actor_id IS NULL", emp.Id));
        using var presence = await Client.SendAsync(HttpMethod.Get, "/attendance/presence", admin.Token);
        Assert.Equal([fresh.Id], (await presence.JsonAsync()).EnumerateArray().Select(p => p.GetProperty("employee_id").GetInt32()));
        Assert.Equal(HttpStatusCode.Created, (await Client.PunchAsync(emp, "in")).StatusCode);
    }

    [Fact]
    public async Task Two_replicas_at_once_close_it_exactly_once()
    {
        var (emp, _, _) = await ForgottenAsync();
        var checkout = App.Services.GetRequiredService<AutoCheckout>();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => checkout.RunOnceAsync(CancellationToken.None)));

        Assert.Equal(1, await AutoOutsAsync(emp.Id));
        Assert.Equal(1, await App.Database.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE recipient_id = $1 AND kind = 'auto_checkout'", emp.Id));
    }

    [Fact]
    public async Task Racing_a_real_out_there_is_exactly_one_out()
    {
        var checkout = App.Services.GetRequiredService<AutoCheckout>();
        for (var round = 0; round < 5; round++)
        {
            await App.ResetAsync();
            var (emp, _, _) = await ForgottenAsync();

            var closing = checkout.RunOnceAsync(CancellationToken.None);
            using var punched = await Client.PunchAsync(emp, "out");
            await closing;

            var outs = await App.Database.ScalarAsync<long>("SELECT count(*) FROM attendance_records WHERE employee_id = $1 AND action = 'out'", emp.Id);
            Assert.Equal(1, outs);
            Assert.Equal(punched.StatusCode == HttpStatusCode.Created ? 0 : 1, await AutoOutsAsync(emp.Id));
        }
    }

    [Fact]
    public async Task With_a_schedule_the_forgotten_in_is_closed_at_its_shifts_end()
    {
        var (emp, admin, since) = await ForgottenAsync();
        var start = new DateTime(since.Year, since.Month, since.Day, since.Hour, since.Minute, 0, DateTimeKind.Utc);
        var shift = new { start = start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), end = start.AddHours(3).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) };
        using var created = await Client.SendAsync(HttpMethod.Post, "/schedules", admin.Token, new
        {
            name = "Three hours a day",
            time_zone = "UTC",
            grace_minutes = 0,
            days = new { sat = shift, sun = shift, mon = shift, tue = shift, wed = shift, thu = shift, fri = shift },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await App.Database.ScalarAsync<object>("UPDATE employees SET schedule_id = $1 WHERE id = $2",
            (await created.JsonAsync()).GetProperty("id").GetInt32(), emp.Id);

        await App.Services.GetRequiredService<AutoCheckout>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(start.AddHours(3), await App.Database.ScalarAsync<DateTime>(
            "SELECT timestamp FROM attendance_records WHERE employee_id = $1 AND source = 'auto'", emp.Id));
    }
}
