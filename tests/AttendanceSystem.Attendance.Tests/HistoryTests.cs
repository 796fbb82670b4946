using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// A deployment that records punches dated days back as they come (PUNCH_BACKDATE_MINUTES large),
/// so these tests can lay out past days with plain punches; elsewhere such a punch is a correction.
/// An "in" laid out two days back stays open here (MAX_OPEN_HOURS two weeks): no automatic
/// check-out may close it between a test's punch and its question.
/// </summary>
public sealed class TrustingClocksAttendanceApp : AttendanceApp
{
    protected override void Adjust(IDictionary<string, string?> settings)
    {
        settings["PUNCH_BACKDATE_MINUTES"] = "100000";
        settings["MAX_OPEN_HOURS"] = "336";
    }
}

public sealed class HistoryTests(TrustingClocksAttendanceApp app) : AttendanceTestBase<TrustingClocksAttendanceApp>(app)
{
    private static readonly DateTime Day = DateTime.UtcNow.Date.AddDays(-2);

    private async Task PunchAtAsync(Person person, string action, TimeSpan at)
    {
        using var response = await Client.PunchAsync(person, action, Iso(Day + at));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static string Date(DateTime day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_calendar_says_which_zone_business_days_are_counted_in_and_what_today_is()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var before = Date(DateTime.UtcNow);

        using var response = await Client.SendAsync(HttpMethod.Get, "/attendance/calendar", emp.Token);
        var after = Date(DateTime.UtcNow);
        using var anonymous = await Client.SendAsync(HttpMethod.Get, "/attendance/calendar", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var calendar = await response.JsonAsync();
        Assert.Equal("UTC", calendar.GetProperty("time_zone").GetString());
        Assert.Contains(calendar.GetProperty("today").GetString(), new[] { before, after });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_day_lists_its_records_newest_first()
    {
        var emp = await App.CreatePersonAsync("emp2");
        await PunchAtAsync(emp, "in", TimeSpan.FromHours(9));
        await PunchAtAsync(emp, "out", TimeSpan.FromHours(12));
        await PunchAtAsync(emp, "in", TimeSpan.FromHours(13));

        using var response = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}?date={Date(Day)}", emp.Token);
        using var otherDay = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}?date={Date(Day.AddDays(-1))}", emp.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = (await response.JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["in", "out", "in"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(Iso(Day.AddHours(13)), records[0].GetProperty("timestamp").GetString());
        Assert.Empty((await otherDay.JsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task An_employee_cannot_read_another_employees_records_but_an_admin_can()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var other = await App.CreatePersonAsync("emp3");
        var admin = await App.CreatePersonAsync("boss", "admin");
        await PunchAtAsync(emp, "in", TimeSpan.FromHours(9));

        foreach (var path in new[] { $"/attendance/{emp.Id}?date={Date(Day)}", $"/attendance/{emp.Id}/summary" })
        {
            using var snooping = await Client.SendAsync(HttpMethod.Get, path, other.Token);
            using var asAdmin = await Client.SendAsync(HttpMethod.Get, path, admin.Token);
            using var asService = await Client.SendAsync(HttpMethod.Get, path, App.ServiceToken());

            await snooping.AssertProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
            Assert.Equal(HttpStatusCode.OK, asService.StatusCode);
        }
    }

    [Fact]
    public async Task An_admin_asking_for_an_unknown_employee_gets_404()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");

        using var day = await Client.SendAsync(HttpMethod.Get, "/attendance/424242", admin.Token);
        using var summary = await Client.SendAsync(HttpMethod.Get, "/attendance/424242/summary", admin.Token);

        await day.AssertProblemAsync(HttpStatusCode.NotFound);
        await summary.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/attendance/abc", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/-1", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/99999999999", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/{me}?date=2026-13-01", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/{me}?date=23.11.2026", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/{me}?date=1999-12-31", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/{me}/summary?from=2026-11-10&to=2026-11-01", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/{me}/summary?from=2020-01-01&to=2026-01-01", HttpStatusCode.BadRequest)]
    [InlineData("/attendance/{me}/summary?from=x", HttpStatusCode.BadRequest)]
    public async Task Bad_ids_and_dates_are_400(string path, HttpStatusCode status)
    {
        var emp = await App.CreatePersonAsync("emp2");

        using var response = await Client.SendAsync(HttpMethod.Get, path.Replace("{me}", emp.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), emp.Token);

        await response.AssertProblemAsync(status);
    }

    [Fact]
    public async Task The_summary_gives_first_in_last_out_worked_minutes_and_open_per_day()
    {
        var emp = await App.CreatePersonAsync("emp2");
        await PunchAtAsync(emp, "in", TimeSpan.FromHours(9));
        await PunchAtAsync(emp, "out", TimeSpan.FromHours(12));
        await PunchAtAsync(emp, "in", TimeSpan.FromHours(13));
        await PunchAtAsync(emp, "out", new TimeSpan(17, 30, 0));
        await PunchAtAsync(emp, "in", TimeSpan.FromHours(24 + 8)); // the next day, still in

        using var response = await Client.SendAsync(HttpMethod.Get,
            $"/attendance/{emp.Id}/summary?from={Date(Day.AddDays(-1))}&to={Date(Day.AddDays(1))}", emp.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var days = (await response.JsonAsync()).EnumerateArray().ToList();
        Assert.Equal([Date(Day.AddDays(-1)), Date(Day), Date(Day.AddDays(1))], days.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal(0, days[0].GetProperty("worked_minutes").GetInt32());
        Assert.Equal(450, days[1].GetProperty("worked_minutes").GetInt32());
        Assert.Equal(Iso(Day.AddHours(9)), days[1].GetProperty("first_in").GetString());
        Assert.Equal(Iso(Day.Add(new TimeSpan(17, 30, 0))), days[1].GetProperty("last_out").GetString());
        Assert.False(days[1].GetProperty("open").GetBoolean());
        Assert.True(days[2].GetProperty("open").GetBoolean());
        Assert.Equal(16 * 60, days[2].GetProperty("worked_minutes").GetInt32()); // 08:00 until midnight, the day is over
        Assert.Equal(System.Text.Json.JsonValueKind.Null, days[2].GetProperty("last_out").ValueKind);
    }

    [Fact]
    public async Task Presence_shows_who_is_in_now_to_admins_only()
    {
        var inside = await App.CreatePersonAsync("inside");
        var left = await App.CreatePersonAsync("left");
        var admin = await App.CreatePersonAsync("boss", "admin");
        await PunchAtAsync(inside, "in", TimeSpan.FromHours(9));
        await PunchAtAsync(left, "in", TimeSpan.FromHours(9));
        await PunchAtAsync(left, "out", TimeSpan.FromHours(10));

        using var response = await Client.SendAsync(HttpMethod.Get, "/attendance/presence", admin.Token);
        using var refused = await Client.SendAsync(HttpMethod.Get, "/attendance/presence", inside.Token);

        var present = Assert.Single((await response.JsonAsync()).EnumerateArray());
        Assert.Equal(inside.Id, present.GetProperty("employee_id").GetInt32());
        Assert.Equal("inside", present.GetProperty("username").GetString());
        Assert.Equal(Iso(Day.AddHours(9)), present.GetProperty("since").GetString());
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Export_gives_admins_a_csv_of_the_range()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        await PunchAtAsync(emp, "in", TimeSpan.FromHours(9));
        await PunchAtAsync(emp, "out", TimeSpan.FromHours(17));

        using var response = await Client.SendAsync(HttpMethod.Get, $"/attendance/export.csv?from={Date(Day)}&to={Date(Day)}", admin.Token);
        using var refused = await Client.SendAsync(HttpMethod.Get, $"/attendance/export.csv?from={Date(Day)}&to={Date(Day)}", emp.Token);
        using var bad = await Client.SendAsync(HttpMethod.Get, "/attendance/export.csv?from=soon", admin.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd().Split('\n');
        Assert.Equal("id,employee_id,username,action,timestamp,recorded_at,source", lines[0]);
        Assert.Equal(2, lines.Length - 1);
        Assert.Contains($",{emp.Id},emp2,in,{Iso(Day.AddHours(9))},", lines[1], StringComparison.Ordinal);
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
