using System.Globalization;
using System.Net;
using System.Text;
using AttendanceSystem.Testing;
using MiniExcelLibs;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>The monthly report over a laid-out past month: JSON, CSV and XLSX agree; Solar Hijri months map to their Gregorian days.</summary>
public sealed class ReportTests(PastMonthsAttendanceApp app) : AttendanceTestBase<PastMonthsAttendanceApp>(app)
{
    private static readonly DateTime MonthStart = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-2);

    private static readonly string Month = MonthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>emp2: 8 h on the 10th, 3 h on the 11th, and on the 12th an in whose out was added by a correction (1 h); emp3 nothing.</summary>
    private async Task<(Person Admin, Person Emp)> LayOutMonthAsync()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        var emp = await App.CreatePersonAsync("emp2");
        await App.CreatePersonAsync("emp3");
        await App.Database.ScalarAsync<object>("UPDATE employees SET full_name = '=Karimi, \"Sara\"' WHERE id = $1", emp.Id);
        foreach (var (day, hour, action) in new[] { (9, 9, "in"), (9, 17, "out"), (10, 9, "in"), (10, 12, "out"), (11, 9, "in") })
        {
            using var punch = await Client.PunchAsync(emp, action, Iso(MonthStart.AddDays(day).AddHours(hour)));
            Assert.Equal(HttpStatusCode.Created, punch.StatusCode);
        }

        using var fix = await Client.SendAsync(HttpMethod.Post, "/attendance/corrections", admin.Token,
            new { employee_id = emp.Id, kind = "add", action = "out", timestamp = Iso(MonthStart.AddDays(11).AddHours(10)), reason = "left at ten", apply = true });
        Assert.Equal(HttpStatusCode.Created, fix.StatusCode);
        return (admin, emp);
    }

    [Fact]
    public async Task The_json_report_counts_days_minutes_and_corrections_per_person()
    {
        var (admin, emp) = await LayOutMonthAsync();

        using var response = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}", admin.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        Assert.Equal(Month, report.GetProperty("month").GetString());
        Assert.Equal("gregorian", report.GetProperty("calendar").GetString());
        Assert.Equal(MonthStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), report.GetProperty("from").GetString());
        Assert.Equal(MonthStart.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), report.GetProperty("to").GetString());
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["boss", "emp2", "emp3"], rows.Select(r => r.GetProperty("username").GetString()));
        var row = rows[1];
        Assert.Equal(emp.Id, row.GetProperty("employee_id").GetInt32());
        Assert.Equal(3, row.GetProperty("days_present").GetInt32());
        Assert.Equal((8 + 3 + 1) * 60, row.GetProperty("worked_minutes").GetInt32());
        Assert.Equal(0, row.GetProperty("open_days").GetInt32());
        Assert.Equal(1, row.GetProperty("corrections").GetInt32());
        Assert.Equal(0, row.GetProperty("days_late").GetInt32()); // no schedule: not judged
        Assert.Equal(0, rows[2].GetProperty("worked_minutes").GetInt32());
        Assert.Equal(1, await App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'report.downloaded'"));
    }

    [Fact]
    public async Task Csv_and_xlsx_carry_the_same_columns_and_values_with_a_file_name()
    {
        var (admin, _) = await LayOutMonthAsync();

        using var csv = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}&format=csv", admin.Token);
        using var xlsx = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}&format=xlsx", admin.Token);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"attendance-report-{Month}.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("employee_id,username,full_name,team,days_present,days_late,days_absent,worked_minutes,late_minutes,early_leave_minutes,overtime_minutes,open_days,corrections", lines[0]);
        Assert.EndsWith(",emp2,\"'=Karimi, \"\"Sara\"\"\",,3,0,0,720,0,0,0,0,1", lines[2], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        await using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var sheet = book.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(3, sheet.Count);
        Assert.Equal("emp2", sheet[1]["username"]);
        Assert.Equal(720d, Convert.ToDouble(sheet[1]["worked_minutes"], CultureInfo.InvariantCulture));
        Assert.Equal(1d, Convert.ToDouble(sheet[1]["corrections"], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1405-09", "2026-11-22", "2026-12-21")]
    [InlineData("1404-12", "2026-02-20", "2026-03-20")]
    [InlineData("1403-12", "2025-02-19", "2025-03-20")]
    [InlineData("1405-01", "2026-03-21", "2026-04-20")]
    public async Task A_solar_hijri_month_reports_its_gregorian_days(string month, string from, string to)
    {
        var admin = await App.CreatePersonAsync("boss", "admin");

        using var response = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={month}&calendar=persian", admin.Token);

        var report = await response.JsonAsync();
        Assert.Equal((month, "persian", from, to), (report.GetProperty("month").GetString(), report.GetProperty("calendar").GetString(),
            report.GetProperty("from").GetString(), report.GetProperty("to").GetString()));
    }

    [Theory]
    [InlineData("month=2026-13", HttpStatusCode.BadRequest, "month")]
    [InlineData("month=26-01", HttpStatusCode.BadRequest, "month")]
    [InlineData("", HttpStatusCode.BadRequest, "month")]
    [InlineData("month=2026-11&calendar=julian", HttpStatusCode.BadRequest, "calendar")]
    [InlineData("month=2026-11&calendar=persian", HttpStatusCode.BadRequest, "Solar Hijri")]
    [InlineData("month=2026-11&format=pdf", HttpStatusCode.BadRequest, "format")]
    [InlineData("month=2026-11&team_id=0", HttpStatusCode.BadRequest, "team_id")]
    [InlineData("month=2026-11&team_id=7", HttpStatusCode.NotFound, "team")]
    public async Task Bad_report_queries_are_refused_clearly(string query, HttpStatusCode status, string mentioned)
    {
        var admin = await App.CreatePersonAsync("boss", "admin");

        using var response = await Client.SendAsync(HttpMethod.Get, "/reports/monthly?" + query, admin.Token);

        Assert.Contains(mentioned, await response.AssertProblemAsync(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_employee_may_not_read_the_report()
    {
        var emp = await App.CreatePersonAsync("emp2");

        using var response = await Client.SendAsync(HttpMethod.Get, $"/reports/monthly?month={Month}", emp.Token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
