using System.Net;
using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Protos;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>An attendance service whose live subscribers have small buffers, to show a slow one is cut off.</summary>
public sealed class SmallBufferAttendanceApp : AttendanceApp
{
    public const int Buffer = 2000;

    protected override void Adjust(IDictionary<string, string?> settings) =>
        settings["FEED_SUBSCRIBER_BUFFER"] = Buffer.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class FeedResilienceTests(SmallBufferAttendanceApp app) : IClassFixture<SmallBufferAttendanceApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_cut_off_while_a_reading_one_gets_everything()
    {
        const int Batches = 40, PerBatch = 250;
        var admin = await app.CreatePersonAsync("boss", "admin");
        var feed = app.Services.GetRequiredService<RecordFeed>();
        using var slow = app.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var fast = app.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (feed.SubscriberCount < 2)
        {
            await Task.Delay(10, timeout.Token);
        }

        var reading = Task.Run(async () =>
        {
            var count = 0;
            while (count < Batches * PerBatch && await fast.ResponseStream.MoveNext(timeout.Token))
            {
                count++;
            }

            return count;
        });

        // Many employees punching in, a batch per statement, as a busy morning would.
        for (var batch = 0; batch < Batches; batch++)
        {
            await app.Database.WriteRecordsAsync($"""
                WITH people AS (
                  INSERT INTO employees (username, password_hash)
                  SELECT 'b{batch}-' || n, 'x' FROM generate_series(1, {PerBatch}) n RETURNING id)
                INSERT INTO attendance_records (employee_id, action, timestamp) SELECT id, 'in', now() FROM people
                """);
            await Task.Delay(25, timeout.Token);
        }

        Assert.Equal(Batches * PerBatch, await reading);
        var cutOff = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await slow.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, cutOff.StatusCode);
        Assert.Contains("resume", cutOff.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_attendance_processes_on_one_database_both_deliver_every_punch()
    {
        await using var replica = AttendanceApp.SharingDatabase(app.Database);
        await ((IAsyncLifetime)replica).InitializeAsync();
        var emp = await app.CreatePersonAsync("emp2");
        var admin = await app.CreatePersonAsync("boss", "admin");
        using var onFirst = app.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var onReplica = replica.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (app.Services.GetRequiredService<RecordFeed>().SubscriberCount < 1
               || replica.Services.GetRequiredService<RecordFeed>().SubscriberCount < 1)
        {
            await Task.Delay(10, timeout.Token);
        }

        using var viaFirst = app.CreateClient();
        using var viaReplica = replica.CreateClient();
        var ids = new List<long>();
        foreach (var (client, action) in new[] { (viaFirst, "in"), (viaReplica, "out"), (viaFirst, "in"), (viaReplica, "out") })
        {
            using var response = await client.PunchAsync(emp, action);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add((await response.JsonAsync()).GetProperty("id").GetInt64());
        }

        foreach (var call in new[] { onFirst, onReplica })
        {
            var received = new List<long>();
            while (received.Count < ids.Count && await call.ResponseStream.MoveNext(timeout.Token))
            {
                received.Add(call.ResponseStream.Current.Id);
            }

            Assert.Equal(ids, received);
        }
    }

    [Fact]
    public async Task A_punch_transaction_notifies_nobody_and_the_service_rings_the_doorbell_after_its_commit()
    {
        var emp = await app.CreatePersonAsync("emp3");
        await using var listener = new NpgsqlConnection(app.Database.ConnectionString);
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {RecordFeed.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        // A record written in a transaction of its own: the table has no trigger that notifies.
        await app.Database.ScalarAsync<object>("INSERT INTO attendance_records (employee_id, action) VALUES ($1, 'in')", emp.Id);
        Assert.False(await listener.WaitAsync(TimeSpan.FromSeconds(1)), "a write must not notify inside its transaction");

        // A punch through the service: it rings once it has committed.
        using var client = app.CreateClient();
        using var punched = await client.PunchAsync(emp, "out");
        Assert.Equal(HttpStatusCode.Created, punched.StatusCode);
        Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)), "the service rings the doorbell after a punch");
    }

    [Fact]
    public async Task A_replica_that_polls_rarely_still_gets_another_replicas_punch_at_once_by_its_doorbell()
    {
        await using var rarelyPolling = new RarelyPollingReplica(app.Database);
        await ((IAsyncLifetime)rarelyPolling).InitializeAsync();
        var emp = await app.CreatePersonAsync("emp4");
        var admin = await app.CreatePersonAsync("boss", "admin");
        using var live = rarelyPolling.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await SubscribedAsync(rarelyPolling, timeout.Token);

        using var client = app.CreateClient();
        using var punched = await client.PunchAsync(emp, "in");
        var id = (await punched.JsonAsync()).GetProperty("id").GetInt64();

        // Its safety poll is ten minutes away: only the other process's doorbell can bring it now.
        Assert.True(await live.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(id, live.ResponseStream.Current.Id);
    }

    [Fact]
    public async Task A_record_written_without_a_doorbell_is_found_by_the_safety_poll()
    {
        var emp = await app.CreatePersonAsync("emp5");
        var admin = await app.CreatePersonAsync("boss", "admin");
        using var live = app.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await SubscribedAsync(app, timeout.Token);

        // An operator's insert in psql, say: committed, no NOTIFY.
        var id = await app.Database.ScalarAsync<long>(
            "INSERT INTO attendance_records (employee_id, action) VALUES ($1, 'in') RETURNING id", emp.Id);

        Assert.True(await live.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(id, live.ResponseStream.Current.Id);
    }

    [Fact]
    public async Task A_feed_whose_listen_connection_is_killed_listens_again_and_misses_nothing()
    {
        var emp = await app.CreatePersonAsync("emp6");
        var admin = await app.CreatePersonAsync("boss", "admin");
        using var live = app.Grpc.StreamNew(new StreamRequest { Jwt = admin.Token });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await SubscribedAsync(app, timeout.Token);
        const string Listeners = $"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN {RecordFeed.Channel}'";
        var before = await ListeningAsync();

        // The database ends the feed's LISTEN session (a failover, an operator, a network cut).
        await app.Database.ScalarAsync<object>($"SELECT pg_terminate_backend(pid) FROM ({Listeners}) l");
        using var client = app.CreateClient();
        using (var punched = await client.PunchAsync(emp, "in"))
        {
            Assert.Equal(HttpStatusCode.Created, punched.StatusCode);
        }

        Assert.True(await live.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal("in", live.ResponseStream.Current.Action);

        // It opens a new LISTEN session by itself, and another writer's doorbell reaches it again.
        int[] after;
        while ((after = await ListeningAsync()).Length == 0 || after.Intersect(before).Any())
        {
            await Task.Delay(20, timeout.Token);
        }

        await app.Database.WriteRecordsAsync("INSERT INTO attendance_records (employee_id, action) VALUES ($1, 'out')", emp.Id);
        Assert.True(await live.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal("out", live.ResponseStream.Current.Action);

        async Task<int[]> ListeningAsync()
        {
            await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(Listeners, connection);
            var pids = new List<int>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }

            return [.. pids];
        }
    }

    /// <summary>Until the stream just opened on <paramref name="on"/> is subscribed to its feed.</summary>
    private static async Task SubscribedAsync(AttendanceApp on, CancellationToken cancellationToken)
    {
        while (on.Services.GetRequiredService<RecordFeed>().SubscriberCount < 1)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>A replica whose feed reads unprompted only every ten minutes.</summary>
    private sealed class RarelyPollingReplica(TestDatabase database) : AttendanceApp(database)
    {
        protected override void Adjust(IDictionary<string, string?> settings) => settings["FEED_SAFETY_POLL_MS"] = "600000";
    }
}
