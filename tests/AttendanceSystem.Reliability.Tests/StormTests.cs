using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AttendanceSystem.Protos;
using AttendanceSystem.Streaming;
using AttendanceSystem.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>
/// The storm: 20 writers punching for many employees while the reporter and attendance are killed
/// (-9) and restarted and PostgreSQL restarts. WebSocket clients (admin and employees) and a gRPC
/// StreamNew client resume with their last cursor; at the end what each received is compared with
/// the database. Long: run by scripts/storm.sh (STORM_SECONDS, default 90), not by scripts/test.sh.
/// </summary>
[Trait("Category", "Storm")]
public sealed class StormTests(ITestOutputHelper output)
{
    private const int Writers = 20;

    [Fact]
    public async Task Nothing_is_lost_or_duplicated_through_kills_and_a_database_restart()
    {
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("STORM_SECONDS"), out var s) ? s : 30);
        await using var cluster = await PrivateCluster.StartAsync();
        var (restPort, grpcPort, reporterPort) = (LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());
        var started = new List<ServiceProcess>();
        ServiceProcess Track(ServiceProcess process)
        {
            started.Add(process);
            return process;
        }

        try
        {
            var attendance = Track(RunningSystem.StartAttendance(cluster.ConnectionString, restPort, grpcPort));
            await attendance.WaitUntilReadyAsync();
            var reporter = Track(RunningSystem.StartReporter(cluster.ConnectionString, reporterPort, grpcPort));
            await reporter.WaitUntilReadyAsync();

            await using var db = Npgsql.NpgsqlDataSource.Create(cluster.ConnectionString);
            async Task<int> AddPersonAsync(string name, string role)
            {
                await using var command = db.CreateCommand("INSERT INTO employees (username, password_hash, role) VALUES ($1, 'x', $2) RETURNING id");
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = name });
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = role });
                return (int)(await command.ExecuteScalarAsync())!;
            }

            var adminId = await AddPersonAsync("storm-admin", "admin");
            var adminToken = RunningSystem.Issuer.Issue(adminId, "storm-admin", "admin").Token;
            var employees = new List<(int Id, string Token)>();
            for (var i = 0; i < Writers * 2; i++)
            {
                var id = await AddPersonAsync($"storm-{i}", "employee");
                employees.Add((id, RunningSystem.Issuer.Issue(id, $"storm-{i}", "employee", TimeSpan.FromHours(2)).Token));
            }

            var socketAddress = new Uri($"ws://127.0.0.1:{reporterPort}/ws");
            await using var adminSocket = new SocketReader(socketAddress, adminToken).Start();
            var watched = employees.Take(3).ToList();
            var employeeSockets = watched.Select(e => new SocketReader(socketAddress, e.Token).Start()).ToList();
            using var grpcStop = new CancellationTokenSource();
            var grpcReceived = new List<(long Id, string Cursor)>();
            var grpcReconnects = 0;
            var grpcReader = Task.Run(async () =>
            {
                string? last = null;
                while (!grpcStop.IsCancellationRequested)
                {
                    try
                    {
                        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
                        var client = new AttendanceService.AttendanceServiceClient(channel);
                        using var call = client.StreamNew(new StreamRequest { Jwt = adminToken, After = last ?? "" }, cancellationToken: grpcStop.Token);
                        var headers = await call.ResponseHeadersAsync;
                        last ??= headers.GetValue("x-feed-start");
                        await foreach (var record in call.ResponseStream.ReadAllAsync(grpcStop.Token))
                        {
                            lock (grpcReceived)
                            {
                                grpcReceived.Add((record.Id, record.Cursor));
                            }

                            last = record.Cursor;
                        }
                    }
                    catch (Exception ex) when (ex is RpcException or OperationCanceledException && grpcStop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (RpcException)
                    {
                    }

                    grpcReconnects++;
                    await Task.Delay(200).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            });
            await Task.Delay(1000);

            // Writers: each punch is retried with its Idempotency-Key until it gets a definite answer.
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}"), Timeout = TimeSpan.FromSeconds(10) };
            var created = new ConcurrentDictionary<long, string>();
            var refused = new ConcurrentBag<string>();
            var retries = 0;
            var clock = Stopwatch.StartNew();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var mine = new[] { employees[2 * w], employees[2 * w + 1] };
                var next = new[] { "in", "in" };
                for (var n = 0; clock.Elapsed < duration; n++)
                {
                    var who = n % 2;
                    var key = Guid.NewGuid().ToString("N");
                    while (true)
                    {
                        try
                        {
                            using var request = RunningSystem.Request(HttpMethod.Post, "/attendance", mine[who].Token, new { action = next[who] });
                            request.Headers.Add("Idempotency-Key", key);
                            using var response = await http.SendAsync(request);
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                created[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()] = key;
                                next[who] = next[who] == "in" ? "out" : "in";
                                break;
                            }

                            if ((int)response.StatusCode is >= 400 and < 500)
                            {
                                refused.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                                break;
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                        {
                        }

                        Interlocked.Increment(ref retries);
                        await Task.Delay(100);
                    }
                }
            })).ToList();

            // Faults, spread over the storm.
            var faults = new List<string>();
            async Task AtAsync(double fraction)
            {
                var wait = duration * fraction - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
            }

            await AtAsync(0.2);
            await reporter.KillHardAsync();
            reporter = Track(RunningSystem.StartReporter(cluster.ConnectionString, reporterPort, grpcPort));
            faults.Add("kill -9 reporter");
            await AtAsync(0.4);
            await attendance.KillHardAsync();
            attendance = Track(RunningSystem.StartAttendance(cluster.ConnectionString, restPort, grpcPort));
            faults.Add("kill -9 attendance");
            await AtAsync(0.6);
            await cluster.StopAsync();
            await Task.Delay(1000);
            await cluster.StartAgainAsync();
            db.Clear(); // this test's own pooled connections died with the server
            faults.Add("restart PostgreSQL");
            await AtAsync(0.8);
            await reporter.KillHardAsync();
            reporter = Track(RunningSystem.StartReporter(cluster.ConnectionString, reporterPort, grpcPort));
            faults.Add("kill -9 reporter");

            await Task.WhenAll(writers);
            await attendance.WaitUntilReadyAsync();
            await reporter.WaitUntilReadyAsync();

            // The database is the truth.
            var stored = new List<(long Id, int EmployeeId, string Key)>();
            await using (var command = db.CreateCommand("SELECT id, employee_id, coalesce(idempotency_key, '') FROM attendance_records ORDER BY tx_id, id"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    stored.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2)));
                }
            }

            await adminSocket.WaitForAsync(stored.Count, TimeSpan.FromSeconds(30));
            for (var i = 0; i < watched.Count; i++)
            {
                await employeeSockets[i].WaitForAsync(stored.Count(r => r.EmployeeId == watched[i].Id), TimeSpan.FromSeconds(30));
            }

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && grpcReceived.Count < stored.Count)
            {
                await Task.Delay(100);
            }

            await grpcStop.CancelAsync();
            await grpcReader;

            var compared = 0;
            var report = new List<string>();
            void Compare(string who, IReadOnlyList<(long Id, string Cursor)> received, IEnumerable<long> expected)
            {
                List<(long Id, string Cursor)> copy;
                lock (received)
                {
                    copy = [.. received];
                }

                var want = expected.ToList();
                var got = copy.Select(r => r.Id).ToList();
                var lost = want.Except(got).Count();
                var duplicated = got.Count - got.Distinct().Count();
                var order = copy.Select(r => FeedCursor.TryParse(r.Cursor, out var c) ? c : throw new FormatException(r.Cursor)).ToList();
                var inOrder = order.SequenceEqual(order.Order());
                compared += want.Count;
                report.Add($"{who}: {got.Count} received of {want.Count}, {lost} lost, {duplicated} duplicated, order {(inOrder ? "kept" : "broken")}");
                Assert.Equal(0, lost);
                Assert.Equal(0, duplicated);
                Assert.True(inOrder, who + ": order broken");
                Assert.Empty(got.Except(want));
            }

            try
            {
                Compare("gRPC StreamNew (admin)", grpcReceived, stored.Select(r => r.Id));
                Compare("WebSocket admin", adminSocket.Records, stored.Select(r => r.Id));
                for (var i = 0; i < watched.Count; i++)
                {
                    Compare($"WebSocket employee {i + 1}", employeeSockets[i].Records, stored.Where(r => r.EmployeeId == watched[i].Id).Select(r => r.Id));
                }

                // Every 201 is stored, once; nothing else was written.
                Assert.Empty(created.Keys.Except(stored.Select(r => r.Id)));
                Assert.Equal(created.Count, stored.Count);
                Assert.Empty(refused);
            }
            finally
            {
                report.Insert(0, $"storm: {duration.TotalSeconds:0} s, {Writers} writers, {created.Count} punches stored ({retries} retries with the same Idempotency-Key), faults: {string.Join(", ", faults)}");
                report.Add($"storm: {compared} records compared, reconnects: gRPC {grpcReconnects}, WebSocket admin {adminSocket.Reconnects}");
                foreach (var line in report)
                {
                    output.WriteLine(line);
                    Figures.Report(line);
                }

                foreach (var socket in employeeSockets)
                {
                    await socket.DisposeAsync();
                }
            }
        }
        finally
        {
            foreach (var process in started)
            {
                await process.DisposeAsync();
            }
        }
    }
}
