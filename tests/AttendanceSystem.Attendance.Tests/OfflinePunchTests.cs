using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// Punches queued on a device without a connection: sent later with their capture time, source
/// "offline" and an Idempotency-Key. Recorded up to PUNCH_OFFLINE_HOURS back (day flagged, audited),
/// never twice; older ones follow the backdating rule.
/// </summary>
public sealed class OfflinePunchTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private Task<HttpResponseMessage> SendOfflineAsync(Person person, string action, DateTime capturedAt, string key) =>
        Client.SendAsync(HttpMethod.Post, "/attendance", person.Token,
            new { action, timestamp = Iso(capturedAt), source = "offline" }, key);

    [Fact]
    public async Task An_offline_punch_is_recorded_at_its_capture_time_flagged_for_review_and_audited()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var capturedAt = DateTime.UtcNow.AddHours(-3).AddTicks(-(DateTime.UtcNow.Ticks % TimeSpan.TicksPerMillisecond));
        capturedAt = new DateTime(capturedAt.Ticks - capturedAt.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

        using var response = await SendOfflineAsync(emp, "in", capturedAt, "device-1-punch-1");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var record = await response.JsonAsync();
        Assert.Equal("offline", record.GetProperty("source").GetString());
        Assert.Equal(capturedAt, record.GetProperty("timestamp").GetDateTime().ToUniversalTime());

        var day = capturedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var summary = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}/summary?from={day}&to={day}", emp.Token);
        Assert.True(Assert.Single((await summary.JsonAsync()).EnumerateArray()).GetProperty("needs_review").GetBoolean());
        Assert.Equal(1, await App.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'punch.offline' AND employee_id = $1 AND (details->>'record_id')::bigint = $2",
            emp.Id, record.GetProperty("id").GetInt64()));
        Assert.Equal(0, await App.Database.ScalarAsync<long>("SELECT count(*) FROM corrections"));
    }

    [Fact]
    public async Task Sending_the_queue_again_records_each_punch_once()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var inAt = DateTime.UtcNow.AddHours(-2);
        var outAt = DateTime.UtcNow.AddHours(-1);

        // The connection dropped after the server answered: the device sends its whole queue again.
        for (var round = 0; round < 2; round++)
        {
            using var first = await SendOfflineAsync(emp, "in", inAt, "queued-in");
            using var second = await SendOfflineAsync(emp, "out", outAt, "queued-out");
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
            Assert.Equal(round == 1, first.Headers.Contains("Idempotent-Replayed"));
        }

        Assert.Equal(["in", "out"], await StoredActionsAsync(emp.Id));
        Assert.Equal(2, await App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'punch.offline'"));
    }

    [Fact]
    public async Task An_offline_punch_older_than_the_window_becomes_a_correction_to_approve()
    {
        var emp = await App.CreatePersonAsync("emp2");
        using var response = await SendOfflineAsync(emp, "in", DateTime.UtcNow.AddHours(-13), "too-old");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var correction = await response.JsonAsync();
        Assert.Equal("pending", correction.GetProperty("status").GetString());
        Assert.Contains("captured offline", correction.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(await StoredActionsAsync(emp.Id));

        // Sent again (the answer was lost): the same correction, not a second one.
        using var again = await SendOfflineAsync(emp, "in", DateTime.UtcNow.AddHours(-13), "too-old");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(1, await App.Database.ScalarAsync<long>("SELECT count(*) FROM corrections"));
    }

    [Fact]
    public async Task Offline_punches_still_follow_the_punch_rules()
    {
        var emp = await App.CreatePersonAsync("emp2");
        using (var now = await Client.PunchAsync(emp, "in"))
        {
            Assert.Equal(HttpStatusCode.Created, now.StatusCode);
        }

        // Captured before the punch made since on another device: out of order, refused, named.
        using var late = await SendOfflineAsync(emp, "out", DateTime.UtcNow.AddHours(-1), "late-out");
        Assert.Contains("before the last punch", await late.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);

        using var noTime = await Client.SendAsync(HttpMethod.Post, "/attendance", emp.Token, new { action = "out", source = "offline" });
        Assert.Contains("timestamp", await noTime.AssertProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        using var badSource = await Client.SendAsync(HttpMethod.Post, "/attendance", emp.Token, new { action = "out", source = "kiosk" });
        Assert.Contains("source", await badSource.AssertProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        using var future = await SendOfflineAsync(emp, "out", DateTime.UtcNow.AddHours(1), "future");
        await future.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(["in"], await StoredActionsAsync(emp.Id));
    }
}
