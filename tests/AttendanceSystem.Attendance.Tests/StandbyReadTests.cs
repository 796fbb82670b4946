using System.Globalization;
using System.Net;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Protos;
using AttendanceSystem.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// A real primary and a streaming hot standby of it (scripts/pg.sh --standby-of, i.e. pg_basebackup -R),
/// and attendance on both: DATABASE_CONNECTION_STRING the primary, DATABASE_READ_CONNECTION_STRING the standby.
/// </summary>
public sealed class PrimaryAndStandby : IAsyncLifetime
{
    private PrivateCluster? _primary;
    private PrivateCluster? _standby;

    public StandbyReadsApp App { get; private set; } = null!;

    public string StandbyConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _primary = await PrivateCluster.StartAsync();
        _standby = await _primary.StartStandbyAsync();

        // Created after the copy: the standby gets the database, its schema and rows by replication alone.
        const string Name = "standby_reads";
        await using (var connection = new NpgsqlConnection(_primary.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new TestDatabase(_primary.ConnectionString,
            new NpgsqlConnectionStringBuilder(_primary.ConnectionString) { Database = Name }.ConnectionString, Name);
        StandbyConnectionString = new NpgsqlConnectionStringBuilder(_standby.ConnectionString) { Database = Name }.ConnectionString;
        App = new StandbyReadsApp(database, StandbyConnectionString);
        await ((IAsyncLifetime)App).InitializeAsync();
    }

    /// <summary>Waits until the standby has replayed everything the primary has committed so far.</summary>
    public async Task CaughtUpAsync()
    {
        // The insert position: with asynchronous commit (the test clusters run with it) the last
        // commits may not have been written out yet, and the standby receives them once they are.
        var written = await App.Database.ScalarAsync<string>("SELECT pg_current_wal_insert_lsn()::text");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await OnStandbyAsync<bool>($"SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn"))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Stops the standby replaying (it keeps answering, from what it had), until <see cref="ResumeAsync"/>.</summary>
    public async Task PauseAsync()
    {
        await OnStandbyAsync<object>("SELECT pg_wal_replay_pause()");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await OnStandbyAsync<string>("SELECT pg_get_wal_replay_pause_state()") != "paused")
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public Task ResumeAsync() => OnStandbyAsync<object>("SELECT pg_wal_replay_resume()");

    private async Task<T> OnStandbyAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(StandbyConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await _standby!.DisposeAsync();
        await _primary!.DisposeAsync();
    }
}

public sealed class StandbyReadsApp(TestDatabase database, string standby) : AttendanceApp(database)
{
    protected override void Adjust(IDictionary<string, string?> settings) => settings["DATABASE_READ_CONNECTION_STRING"] = standby;
}

public sealed class StandbyReadTests(PrimaryAndStandby pair) : IClassFixture<PrimaryAndStandby>
{
    private StandbyReadsApp App => pair.App;

    [Fact]
    public async Task Past_days_summaries_reports_exports_and_list_come_from_the_standby_and_today_from_the_primary()
    {
        var calendar = App.Services.GetRequiredService<BusinessCalendar>();
        var today = calendar.Today;
        var (threeDaysAgo, twoDaysAgo) = (today.AddDays(-3), today.AddDays(-2));
        var id = await App.Database.ScalarAsync<int>(
            "INSERT INTO employees (username, password_hash, created_at) VALUES ('sam', 'x', now() - interval '10 days') RETURNING id");
        var sam = new Person(id, "sam", App.Services.GetRequiredService<AttendanceSystem.ServiceDefaults.Security.JwtTokenIssuer>().Issue(id, "sam", "employee").Token);
        var boss = await App.CreatePersonAsync("boss", "admin");
        await WorkAsync(id, threeDaysAgo);
        await pair.CaughtUpAsync();

        await pair.PauseAsync();
        try
        {
            // Written on the primary while the standby stands still: a past day, and a punch today.
            await WorkAsync(id, twoDaysAgo);
            using var client = App.CreateClient();
            using (var punched = await client.PunchAsync(sam, "in"))
            {
                Assert.Equal(HttpStatusCode.Created, punched.StatusCode);
            }

            // What must read its own writes reads the primary.
            Assert.Equal(1, (await GetJsonAsync(client, $"/attendance/{id}?date={Day(today)}", sam)).GetArrayLength());
            Assert.Contains((await GetJsonAsync(client, "/attendance/presence", boss)).EnumerateArray(), p => p.GetProperty("employee_id").GetInt32() == id);

            // Past days, summaries, the monthly report, the export and gRPC List read the standby: it
            // answers correctly from what it has replayed, and has not seen two days ago yet.
            Assert.Equal(2, (await GetJsonAsync(client, $"/attendance/{id}?date={Day(threeDaysAgo)}", sam)).GetArrayLength());
            Assert.Equal(0, (await GetJsonAsync(client, $"/attendance/{id}?date={Day(twoDaysAgo)}", sam)).GetArrayLength());
            Assert.Equal([540, 0], await WorkedAsync(client, id, sam, threeDaysAgo, twoDaysAgo));
            Assert.Equal(threeDaysAgo.Month == twoDaysAgo.Month ? 540 : 0, await MonthWorkedAsync(client, id, boss, twoDaysAgo));
            Assert.Equal(2, await ExportedAsync(client, boss, threeDaysAgo, twoDaysAgo));
            Assert.Equal(2, await ListedAsync(sam, threeDaysAgo, twoDaysAgo));
        }
        finally
        {
            await pair.ResumeAsync();
        }

        // Once the standby has caught up, the same reads have everything.
        await pair.CaughtUpAsync();
        using var after = App.CreateClient();
        Assert.Equal(2, (await GetJsonAsync(after, $"/attendance/{id}?date={Day(twoDaysAgo)}", sam)).GetArrayLength());
        Assert.Equal([540, 540], await WorkedAsync(after, id, sam, threeDaysAgo, twoDaysAgo));
        Assert.Equal(threeDaysAgo.Month == twoDaysAgo.Month ? 1080 : 540, await MonthWorkedAsync(after, id, boss, twoDaysAgo));
        Assert.Equal(4, await ExportedAsync(after, boss, threeDaysAgo, twoDaysAgo));
        Assert.Equal(4, await ListedAsync(sam, threeDaysAgo, twoDaysAgo));
    }

    /// <summary>In at 08:00 and out at 17:00 UTC of <paramref name="day"/>, written straight to the primary.</summary>
    private Task WorkAsync(int id, DateOnly day) =>
        App.Database.WriteRecordsAsync("""
            INSERT INTO attendance_records (employee_id, action, timestamp)
            VALUES ($1, 'in', ($2::date + time '08:00') AT TIME ZONE 'UTC'), ($1, 'out', ($2::date + time '17:00') AT TIME ZONE 'UTC')
            """, id, day);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<System.Text.Json.JsonElement> GetJsonAsync(HttpClient client, string path, Person who)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path, who.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static async Task<List<int>> WorkedAsync(HttpClient client, int id, Person who, DateOnly from, DateOnly to) =>
        [.. (await GetJsonAsync(client, $"/attendance/{id}/summary?from={Day(from)}&to={Day(to)}", who)).EnumerateArray()
            .Select(day => day.GetProperty("worked_minutes").GetInt32())];

    private static async Task<int> MonthWorkedAsync(HttpClient client, int id, Person boss, DateOnly day) =>
        (await GetJsonAsync(client, $"/reports/monthly?month={day:yyyy-MM}", boss)).GetProperty("rows").EnumerateArray()
            .Single(row => row.GetProperty("employee_id").GetInt32() == id).GetProperty("worked_minutes").GetInt32();

    private static async Task<int> ExportedAsync(HttpClient client, Person boss, DateOnly from, DateOnly to)
    {
        using var response = await client.SendAsync(HttpMethod.Get, $"/attendance/export.csv?from={Day(from)}&to={Day(to)}", boss.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
    }

    private async Task<int> ListedAsync(Person who, DateOnly from, DateOnly to)
    {
        using var call = App.Grpc.List(new ListRequest { EmployeeId = who.Id, From = Day(from), To = Day(to), Jwt = who.Token });
        var count = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
            count++;
        }

        return count;
    }
}
