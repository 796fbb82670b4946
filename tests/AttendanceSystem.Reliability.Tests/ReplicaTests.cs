using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>Two attendance and two reporter processes on one database.</summary>
public sealed class ReplicaTests
{
    [Fact]
    public async Task Clients_on_either_reporter_receive_every_record_exactly_once()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("replicas");
        var attendancePorts = new[] { (RestPort: LoopbackPort.Free(), GrpcPort: LoopbackPort.Free()), (RestPort: LoopbackPort.Free(), GrpcPort: LoopbackPort.Free()) };
        var reporterPorts = new[] { LoopbackPort.Free(), LoopbackPort.Free() };
        var processes = new List<ServiceProcess>();
        try
        {
            foreach (var (rest, grpc) in attendancePorts)
            {
                processes.Add(RunningSystem.StartAttendance(database.ConnectionString, rest, grpc));
            }

            await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync()));
            for (var i = 0; i < 2; i++)
            {
                // Each reporter reads from a different attendance process.
                processes.Add(RunningSystem.StartReporter(database.ConnectionString, reporterPorts[i], attendancePorts[i].GrpcPort));
            }

            await Task.WhenAll(processes.Skip(2).Select(p => p.WaitUntilReadyAsync()));
            var adminId = await database.ScalarAsync<int>("INSERT INTO employees (username, password_hash, role) VALUES ('boss', 'x', 'admin') RETURNING id");
            var adminToken = RunningSystem.Issuer.Issue(adminId, "boss", "admin").Token;
            await using var first = new SocketReader(new Uri($"ws://127.0.0.1:{reporterPorts[0]}/ws"), adminToken).Start();
            await using var second = new SocketReader(new Uri($"ws://127.0.0.1:{reporterPorts[1]}/ws"), adminToken).Start();
            await Task.Delay(500);

            var clients = attendancePorts.Select(p => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{p.RestPort}") }).ToArray();
            var written = new System.Collections.Concurrent.ConcurrentBag<long>();
            await Task.WhenAll(Enumerable.Range(0, 10).Select(async n =>
            {
                var id = await database.ScalarAsync<int>("INSERT INTO employees (username, password_hash) VALUES ($1, 'x') RETURNING id", $"replica-{n}");
                var token = RunningSystem.Issuer.Issue(id, $"replica-{n}", "employee").Token;
                for (var i = 0; i < 20; i++)
                {
                    using var response = await clients[(n + i) % 2].SendAsync(
                        RunningSystem.Request(HttpMethod.Post, "/attendance", token, new { action = i % 2 == 0 ? "in" : "out" }));
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    written.Add((await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content)).GetProperty("id").GetInt64());
                }
            }));

            foreach (var reader in new[] { first, second })
            {
                await reader.WaitForAsync(written.Count, TimeSpan.FromSeconds(30));
                List<(long Id, string Cursor)> received;
                lock (reader.Records)
                {
                    received = [.. reader.Records];
                }

                Assert.Equal(written.Order(), received.Select(r => r.Id).Order());
                Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
                var cursors = received.Select(r => FeedCursorOrder(r.Cursor)).ToList();
                Assert.Equal(cursors.Order(), cursors);
            }

            // A reporter stopped by SIGTERM says goodbye with 1001 and exits cleanly.
            var (exitCode, took) = await processes[3].TerminateAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, exitCode);
            Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, second.LastCloseStatus);
            Figures.Report($"replicas: 2 attendance + 2 reporter processes; {written.Count} punches via both; each reporter's client got {written.Count}, 0 lost, 0 duplicated, in order; reporter SIGTERM: 1001, exit 0 in {took.TotalSeconds:0.0} s");
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static (ulong, long) FeedCursorOrder(string cursor) =>
        Streaming.FeedCursor.TryParse(cursor, out var parsed) ? (parsed.TxId, parsed.Id) : throw new FormatException(cursor);
}
