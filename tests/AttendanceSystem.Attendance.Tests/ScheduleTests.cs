using System.Globalization;
using System.Net;
using AttendanceSystem.Data.Teams;
using AttendanceSystem.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>Schedules and holidays over REST, and the days and monthly report they judge, in Asia/Tehran (UTC+03:30).</summary>
public sealed class ScheduleTests(PastMonthsAttendanceApp app) : AttendanceTestBase<PastMonthsAttendanceApp>(app)
{
    private static readonly TimeZoneInfo Tehran = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran");

    /// <summary>The first Saturday of the month before last: a whole past week from there, always within the 100 days this app allows.</summary>
    private static readonly DateOnly Saturday = FirstSaturday();

    private static readonly string Month = Saturday.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static readonly object Office = new
    {
        name = "Office",
        time_zone = "Asia/Tehran",
        grace_minutes = 10,
        days = new Dictionary<string, object>
        {
            ["sat"] = new { start = "08:00", end = "16:00" },
            ["sun"] = new { start = "08:00", end = "16:00" },
            ["mon"] = new { start = "08:00", end = "16:00" },
            ["tue"] = new { start = "08:00", end = "16:00" },
            ["wed"] = new { start = "22:00", end = "06:00" },
        },
    };

    [Fact]
    public async Task Schedules_are_created_listed_replaced_and_deleted_only_when_nobody_follows_them()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var emp = await App.CreatePersonAsync("emp");

        using var created = await Client.SendAsync(HttpMethod.Post, "/schedules", admin.Token, Office);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = await created.JsonAsync();
        var id = schedule.GetProperty("id").GetInt32();
        Assert.Equal($"/schedules/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("Asia/Tehran", schedule.GetProperty("time_zone").GetString());
        Assert.Equal("22:00", schedule.GetProperty("days").GetProperty("wed").GetProperty("start").GetString());
        Assert.False(schedule.GetProperty("days").TryGetProperty("thu", out _));

        using (var twin = await Client.SendAsync(HttpMethod.Post, "/schedules", admin.Token, new { name = "OFFICE", time_zone = "UTC", grace_minutes = 0, days = new { } }))
        {
            Assert.Contains("already a schedule named", await twin.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        using (var replaced = await Client.SendAsync(HttpMethod.Put, $"/schedules/{id}", admin.Token,
            new { name = "Office", time_zone = "Europe/Berlin", grace_minutes = 5, days = new { mon = new { start = "09:00", end = "17:00" } } }))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            var body = await replaced.JsonAsync();
            Assert.Equal(5, body.GetProperty("grace_minutes").GetInt32());
            Assert.Equal(["mon"], body.GetProperty("days").EnumerateObject().Select(p => p.Name));
        }

        await App.Database.ScalarAsync<object>("UPDATE employees SET schedule_id = $1 WHERE id = $2", id, emp.Id);
        using (var everyone = await Client.SendAsync(HttpMethod.Get, "/schedules", emp.Token))
        {
            var list = (await everyone.JsonAsync()).EnumerateArray().Single();
            Assert.Equal(1, list.GetProperty("assigned_count").GetInt32());
        }

        using (var inUse = await Client.SendAsync(HttpMethod.Delete, $"/schedules/{id}", admin.Token))
        {
            Assert.Contains("followed by 1 person", await inUse.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        await App.Database.ScalarAsync<object>("UPDATE employees SET schedule_id = NULL WHERE id = $1", emp.Id);
        using (var deleted = await Client.SendAsync(HttpMethod.Delete, $"/schedules/{id}", admin.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(
            ["schedule.created", "schedule.changed", "schedule.deleted"],
            (await App.Database.ScalarAsync<string[]>("SELECT array_agg(action ORDER BY id) FROM audit_log WHERE action LIKE 'schedule.%'"))!);
    }

    [Theory]
    [InlineData("time_zone", "Mars/Olympus", "08:00", "16:00", "sat", 10)]
    [InlineData("time_zone", "Iran Standard Time", "08:00", "16:00", "sat", 10)]
    [InlineData("days", "Asia/Tehran", "8:00", "16:00", "sat", 10)]
    [InlineData("days", "Asia/Tehran", "08:00", "24:00", "sat", 10)]
    [InlineData("days", "Asia/Tehran", "08:00", "08:00", "sat", 10)]
    [InlineData("days", "Asia/Tehran", "08:00", "16:00", "someday", 10)]
    [InlineData("grace_minutes", "Asia/Tehran", "08:00", "16:00", "sat", -1)]
    [InlineData("grace_minutes", "Asia/Tehran", "08:00", "16:00", "sat", 241)]
    public async Task A_bad_schedule_is_refused_saying_which_field_and_nothing_is_written(
        string field, string zone, string start, string end, string day, int grace)
    {
        var admin = await App.CreatePersonAsync("boss", "admin");

        using var response = await Client.SendAsync(HttpMethod.Post, "/schedules", admin.Token, new
        {
            name = "Bad",
            time_zone = zone,
            grace_minutes = grace,
            days = new Dictionary<string, object> { [day] = new { start, end } },
        });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), field);
        Assert.Equal(0, await App.Database.ScalarAsync<long>("SELECT count(*) FROM schedules"));
        Assert.Equal(0, await App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task Holidays_are_added_listed_by_year_and_removed_by_admins_only()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var emp = await App.CreatePersonAsync("emp");

        using (var added = await Client.SendAsync(HttpMethod.Post, "/holidays", admin.Token, new { date = "2027-03-21", name = "Nowruz" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using (var again = await Client.SendAsync(HttpMethod.Post, "/holidays", admin.Token, new { date = "2027-03-21", name = "Again" }))
        {
            Assert.Contains("already a holiday (Nowruz)", await again.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        using (var byEmployee = await Client.SendAsync(HttpMethod.Post, "/holidays", emp.Token, new { date = "2027-03-22", name = "Mine" }))
        {
            await byEmployee.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var badDate = await Client.SendAsync(HttpMethod.Post, "/holidays", admin.Token, new { date = "2027-02-30", name = "Never" }))
        {
            await badDate.AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        using (var year = await Client.SendAsync(HttpMethod.Get, "/holidays?year=2027", emp.Token))
        {
            var list = (await year.JsonAsync()).EnumerateArray().ToList();
            Assert.Equal(("2027-03-21", "Nowruz"), (list.Single().GetProperty("date").GetString(), list.Single().GetProperty("name").GetString()));
        }

        using (var removed = await Client.SendAsync(HttpMethod.Delete, "/holidays/2027-03-21", admin.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using (var gone = await Client.SendAsync(HttpMethod.Delete, "/holidays/2027-03-21", admin.Token))
        {
            await gone.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(["holiday.added", "holiday.removed"], (await App.Database.ScalarAsync<string[]>("SELECT array_agg(action ORDER BY id) FROM audit_log"))!);
    }

    /// <summary>
    /// The week from <see cref="Saturday"/>: Saturday late beyond the grace, Sunday within it and 25
    /// minutes' overtime, Monday absent, Tuesday a holiday, Wednesday's night shift into Thursday,
    /// Thursday and Friday off. The employee exists from the Friday before.
    /// </summary>
    private async Task<(Person Admin, Person Emp, int ScheduleId)> LayOutWeekAsync()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var emp = await App.CreatePersonAsync("emp");
        using var created = await Client.SendAsync(HttpMethod.Post, "/schedules", admin.Token, Office);
        var scheduleId = (await created.JsonAsync()).GetProperty("id").GetInt32();
        await App.Database.ScalarAsync<object>("UPDATE employees SET schedule_id = $1, created_at = $2 WHERE id = $3",
            scheduleId, Local(Saturday.AddDays(-1), "12:00"), emp.Id);
        using (await Client.SendAsync(HttpMethod.Post, "/holidays", admin.Token, new { date = Day(Saturday.AddDays(3)), name = "Holiday" }))
        {
        }

        foreach (var (day, time, action) in new[]
        {
            (0, "08:25", "in"), (0, "16:00", "out"),
            (1, "08:05", "in"), (1, "16:30", "out"),
            (4, "21:50", "in"), (5, "06:00", "out"),
        })
        {
            using var punch = await Client.PunchAsync(emp, action, Iso(Local(Saturday.AddDays(day), time)));
            Assert.Equal(HttpStatusCode.Created, punch.StatusCode);
        }

        return (admin, emp, scheduleId);
    }

    [Fact]
    public async Task The_summary_judges_every_day_of_the_week_in_the_schedules_zone()
    {
        var (_, emp, _) = await LayOutWeekAsync();

        using var response = await Client.SendAsync(HttpMethod.Get,
            $"/attendance/{emp.Id}/summary?from={Day(Saturday.AddDays(-3))}&to={Day(Saturday.AddDays(6))}", emp.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var days = (await response.JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(-1, 8).Select(d => Day(Saturday.AddDays(d))), days.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal(["day_off", "late", "present", "absent", "holiday", "present", "day_off", "day_off"], days.Select(d => d.GetProperty("status").GetString()));
        Assert.Equal([0, 25, 0, 0, 0, 0, 0, 0], days.Select(d => d.GetProperty("late_minutes").GetInt32()));
        Assert.Equal([0, 480, 480, 480, 0, 480, 0, 0], days.Select(d => d.GetProperty("scheduled_minutes").GetInt32()));
        Assert.Equal([0, 455, 505, 0, 0, 490, 0, 0], days.Select(d => d.GetProperty("worked_minutes").GetInt32()));
        Assert.Equal([0, 0, 25, 0, 0, 10, 0, 0], days.Select(d => d.GetProperty("overtime_minutes").GetInt32()));
        Assert.Equal(Iso(Local(Saturday.AddDays(5), "06:00")), Iso(days[5].GetProperty("last_out").GetDateTime().ToUniversalTime()));

        // The night shift's records are the Wednesday's, in the history as in the summary.
        using var wednesday = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}?date={Day(Saturday.AddDays(4))}", emp.Token);
        Assert.Equal(["out", "in"], (await wednesday.JsonAsync()).EnumerateArray().Select(r => r.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task The_monthly_report_sums_the_judged_days_per_team_and_managers_see_only_their_teams()
    {
        var (admin, emp, _) = await LayOutWeekAsync();
        var manager = await App.CreatePersonAsync("lead", "manager");
        var other = await App.CreatePersonAsync("other");
        var ours = await App.Database.ScalarAsync<int>("INSERT INTO teams (name, manager_id) VALUES ('Ours', $1) RETURNING id", manager.Id);
        var theirs = await App.Database.ScalarAsync<int>("INSERT INTO teams (name) VALUES ('Theirs') RETURNING id");
        await App.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1 WHERE id = $2", ours, emp.Id);
        await App.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1 WHERE id = $2", theirs, other.Id);
        await App.Services.GetRequiredService<TeamDirectory>().ReloadAsync(CancellationToken.None);

        using (var all = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}", admin.Token))
        {
            var rows = (await all.JsonAsync()).GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(["boss", "emp", "lead", "other"], rows.Select(r => r.GetProperty("username").GetString()));
            var row = rows[1];
            Assert.Equal("Ours", row.GetProperty("team").GetString());
            Assert.Equal(3, row.GetProperty("days_present").GetInt32());
            Assert.Equal(1, row.GetProperty("days_late").GetInt32());
            Assert.Equal(25, row.GetProperty("late_minutes").GetInt32());
            Assert.Equal(35, row.GetProperty("overtime_minutes").GetInt32());
            Assert.Equal(455 + 505 + 490, row.GetProperty("worked_minutes").GetInt32());

            // Absent on every workday of the month from the day they were created, but the three worked and the holiday.
            var workdays = Enumerable.Range(-1, DateTime.DaysInMonth(Saturday.Year, Saturday.Month) - Saturday.Day + 2)
                .Select(d => Saturday.AddDays(d).DayOfWeek)
                .Count(d => d is DayOfWeek.Saturday or DayOfWeek.Sunday or DayOfWeek.Monday or DayOfWeek.Tuesday or DayOfWeek.Wednesday);
            Assert.Equal(workdays - 3 - 1, row.GetProperty("days_absent").GetInt32());
        }

        using (var mine = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}", manager.Token))
        {
            Assert.Equal(["emp", "lead"], (await mine.JsonAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("username").GetString()));
        }

        using (var team = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}&team_id={ours}", manager.Token))
        {
            Assert.Equal(["emp"], (await team.JsonAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("username").GetString()));
        }

        using (var notMine = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}&team_id={theirs}", manager.Token))
        {
            Assert.Contains("teams you manage", await notMine.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        }

        using (var byAdmin = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}&team_id={theirs}", admin.Token))
        {
            Assert.Equal(["other"], (await byAdmin.JsonAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("username").GetString()));
        }

        using (var unknown = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}&team_id=999999", admin.Token))
        {
            await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        using (var byEmployee = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}", emp.Token))
        {
            await byEmployee.AssertProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    private static DateOnly FirstSaturday()
    {
        var first = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1 - DateTime.UtcNow.Day).AddMonths(-2);
        return first.AddDays(((int)DayOfWeek.Saturday - (int)first.DayOfWeek + 7) % 7 + 7);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTime Local(DateOnly day, string time) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture)), Tehran);
}
