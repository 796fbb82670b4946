using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using AttendanceSystem.Bench.Reporting;
using Npgsql;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>
/// The month-end report: scheduled people with a month of workdays each, judged and summed, as
/// JSON, CSV and XLSX, timed against reading the same records with one plain query.
/// </summary>
public static class MonthlyReport
{
    /// <summary>Long past: no other scenario writes there, so the month holds exactly what this one lays out.</summary>
    private const string Month = "2020-03";

    public static async Task RunAsync(BenchContext context)
    {
        var people = context.System.Employees.Take(context.Scale.ReportPeople).ToArray();
        var runs = context.Settings.Smoke ? 1 : 5;
        var result = context.Begin("Monthly report",
            $"GET /reports/monthly?month={Month} by an admin: {people.Length:N0} people on a Monday–Friday 09:00–17:00 schedule, 31 days each "
            + $"(an in and an out on each of 22 workdays), among every record of the other scenarios; JSON, CSV and XLSX, a warm-up then {runs} runs each, median; "
            + "baseline: the same records read by one plain SQL query");
        var records = await LayOutAsync(context, people);

        var baseline = await MedianAsync(runs, () => ReadRecordsAsync(context));
        var token = context.System.TokenFor(context.System.Admins[0], admin: true);
        using var http = new HttpClient { BaseAddress = context.System.RestUri, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var judged = 0;
        foreach (var format in new[] { "json", "csv", "xlsx" })
        {
            // One untimed request first: the code paths' first call pays for JIT, not the report.
            using (var warmup = await http.GetAsync($"/reports/monthly?month={Month}&format={format}", context.CancellationToken))
            {
                warmup.EnsureSuccessStatusCode();
            }

            var median = await MedianAsync(runs, async () =>
            {
                using var response = await http.GetAsync($"/reports/monthly?month={Month}&format={format}", context.CancellationToken);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken);
                if (format == "json")
                {
                    judged = CountJudged(body, people);
                }
            });
            result.Figures[$"{format}_median_s"] = Math.Round(median, 3);
            result.Figures[$"{format}_vs_plain_read"] = Math.Round(median / baseline, 1);
            result.Checks.Add(Check.AtMost($"Monthly report as {format.ToUpperInvariant()}, {people.Length:N0} people × 31 days", Math.Round(median, 3), "s", 2));
        }

        result.Figures["records"] = records;
        result.Figures["plain_read_median_s"] = Math.Round(baseline, 3);
        result.Checks.Add(Check.None("Scheduled people missing or misjudged in the report", people.Length - judged, "people"));
        await PunchWhileReportsAreReadAsync(context, http, result);
    }

    /// <summary>
    /// What month-end costs the people punching: the punch rate alone, then again while one client
    /// reads the JSON report back to back (from the primary; a standby would take these reads).
    /// </summary>
    private static async Task PunchWhileReportsAreReadAsync(BenchContext context, HttpClient http, ScenarioResult result)
    {
        var (clients, duration) = (context.Scale.PunchClients, context.Scale.PunchRun);
        var alone = await PunchThroughput.PunchAsync(context, clients, duration);

        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var reading = Task.Run(async () =>
        {
            var reports = 0;
            try
            {
                while (true)
                {
                    using var response = await http.GetAsync($"/reports/monthly?month={Month}", stopReading.Token);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync(stopReading.Token);
                    reports++;
                }
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
            {
                return reports;
            }
        });
        var during = await PunchThroughput.PunchAsync(context, clients, duration);
        await stopReading.CancelAsync();
        var reportsRead = await reading;

        result.Figures["punches_per_s_alone"] = Math.Round(alone.SucceededPerSecond, 1);
        result.Figures["punches_per_s_while_reports_are_read"] = Math.Round(during.SucceededPerSecond, 1);
        result.Figures["punch_rate_kept_while_reports_are_read"] = Math.Round(during.SucceededPerSecond / alone.SucceededPerSecond, 3);
        result.Figures["reports_read_meanwhile"] = reportsRead;
        result.Checks.Add(Check.None("Punches failed while reports are read", alone.Errors + during.Errors, "requests"));
    }

    /// <summary>The schedule, its people (created before the month), and their punches: consistent by construction, written with the rule triggers off.</summary>
    private static async Task<long> LayOutAsync(BenchContext context, int[] people)
    {
        await using var connection = context.System.OpenDatabase();
        await connection.OpenAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        await using var layOut = new NpgsqlCommand("""
            WITH office AS (
                INSERT INTO schedules (name, time_zone, grace_minutes, days)
                VALUES ('Bench office', 'UTC', 10, '{"mon":{"start":"09:00","end":"17:00"},"tue":{"start":"09:00","end":"17:00"},"wed":{"start":"09:00","end":"17:00"},"thu":{"start":"09:00","end":"17:00"},"fri":{"start":"09:00","end":"17:00"}}')
                RETURNING id)
            UPDATE employees SET schedule_id = (SELECT id FROM office), created_at = '2020-01-01T00:00:00Z' WHERE id = ANY(@people);
            ALTER TABLE attendance_records DISABLE TRIGGER USER;
            INSERT INTO attendance_records (employee_id, action, timestamp, source, tx_id)
            SELECT p.id, a.action,
                   d + CASE a.action WHEN 'in' THEN interval '9 hours' + make_interval(mins => p.id % 20)
                                     ELSE interval '17 hours' + make_interval(mins => p.id % 45) END,
                   'punch', '3'::xid8
            FROM unnest(@people) p(id)
            CROSS JOIN generate_series('2020-03-01T00:00:00Z'::timestamptz, '2020-03-31T00:00:00Z'::timestamptz, interval '1 day') d
            CROSS JOIN (VALUES ('in'), ('out')) a(action)
            WHERE extract(isodow FROM d AT TIME ZONE 'UTC') < 6;
            ALTER TABLE attendance_records ENABLE TRIGGER USER;
            """, connection, transaction)
        {
            CommandTimeout = 600,
            Parameters = { new("people", people) },
        };
        await layOut.ExecuteNonQueryAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
        return people.Length * 22L * 2;
    }

    private static async Task ReadRecordsAsync(BenchContext context)
    {
        await using var connection = context.System.OpenDatabase();
        await connection.OpenAsync(context.CancellationToken);
        await using var read = new NpgsqlCommand(
            "SELECT employee_id, action, timestamp FROM attendance_records WHERE timestamp >= '2020-03-01T00:00:00Z' AND timestamp < '2020-04-01T00:00:00Z' ORDER BY employee_id, timestamp",
            connection);
        await using var reader = await read.ExecuteReaderAsync(context.CancellationToken);
        while (await reader.ReadAsync(context.CancellationToken))
        {
            _ = (reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2));
        }
    }

    /// <summary>People whose row says what was laid out: 22 days present, none absent, 8 hours a day give or take their minutes.</summary>
    private static int CountJudged(byte[] body, int[] people)
    {
        var ids = people.ToHashSet();
        using var report = JsonDocument.Parse(body);
        return report.RootElement.GetProperty("rows").EnumerateArray().Count(row =>
            ids.Contains(row.GetProperty("employee_id").GetInt32())
            && row.GetProperty("days_present").GetInt32() == 22
            && row.GetProperty("days_absent").GetInt32() == 0
            && row.GetProperty("days_late").GetInt32() == (row.GetProperty("employee_id").GetInt32() % 20 > 10 ? 22 : 0));
    }

    private static async Task<double> MedianAsync(int runs, Func<Task> run)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
