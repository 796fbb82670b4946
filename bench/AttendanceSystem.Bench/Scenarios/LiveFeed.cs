using System.Diagnostics;
using AttendanceSystem.Bench.Load;
using AttendanceSystem.Bench.Reporting;
using AttendanceSystem.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>
/// From a punch's response to its frame's arrival on every socket that should get it: all admin
/// sockets, and the punching employee's own. A frame that beats the response counts as 0 ms.
/// </summary>
public static class LiveFeed
{
    /// <summary>Sample points of the plotted CDF, in ms.</summary>
    private static readonly double[] CdfPoints = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000];

    public static async Task RunLatencyAsync(BenchContext context)
    {
        var scale = context.Scale;
        var employees = context.EmployeesWithTokens(scale.LiveSockets - scale.LiveAdmins);
        var admins = context.System.Admins.Take(scale.LiveAdmins).ToList();
        var result = context.Begin("Live latency",
            $"{scale.LiveSockets:N0} WebSockets ({admins.Count} admins, {employees.Count} employees) while those employees punch {scale.LivePunchesPerSecond}/s for {scale.LiveRun.TotalSeconds:0} s; time from each POST's response to the record frame's arrival at the admins and at the employee's own socket");
        var people = admins.Select(id => (context.System.TokenFor(id, admin: true), id, true))
            .Concat(employees.Select(e => (e.Token, e.EmployeeId, false))).ToList();
        var measured = await MeasureAsync(context, people, employees, scale.LivePunchesPerSecond, scale.LiveRun);
        Record(context, result, "Live latency", measured, p50Limit: 5, p99Limit: 20);
    }

    public static async Task RunFanOutAsync(BenchContext context)
    {
        var scale = context.Scale;
        var employees = context.EmployeesWithTokens(Math.Min(200, context.System.Employees.Count));
        var admins = context.System.Admins.Take(scale.FanOutSockets).ToList();
        var result = context.Begin("Fan-out",
            $"{admins.Count:N0} admin WebSockets, each receiving every record, while employees punch {scale.FanOutPunchesPerSecond}/s for {scale.LiveRun.TotalSeconds:0} s ({admins.Count * scale.FanOutPunchesPerSecond:N0} frames/s)");
        var people = admins.Select(id => (context.System.TokenFor(id, admin: true), id, true)).ToList();
        var measured = await MeasureAsync(context, people, employees, scale.FanOutPunchesPerSecond, scale.LiveRun);
        Record(context, result, "Fan-out", measured, p50Limit: null, p99Limit: 50);
    }

    private sealed record Measured(Distribution Latency, Distribution Upstream, int Punches, int FailedPunches, long Expected, long Dropped, int EarlyFrames, int UnexpectedFrames, int Sockets);

    private static async Task<Measured> MeasureAsync(
        BenchContext context, List<(string Token, int EmployeeId, bool Admin)> people,
        List<(int EmployeeId, string Token)> punchers, int perSecond, TimeSpan duration)
    {
        await using var fleet = new SocketFleet();
        await fleet.ConnectAsync(context.System.SocketUri, people, context.CancellationToken);

        // Beside the sockets, attendance's own live feed (gRPC StreamNew, what the reporter reads):
        // splits each frame's latency into attendance's part and the reporter's.
        using var channel = GrpcChannel.ForAddress(context.System.GrpcUri);
        using var upstream = new AttendanceService.AttendanceServiceClient(channel).StreamNew(
            new StreamRequest { Jwt = context.System.TokenFor(context.System.Admins[0], admin: true) }, cancellationToken: context.CancellationToken);
        await upstream.ResponseHeadersAsync;
        var upstreamArrivals = new Dictionary<long, long>();
        var upstreamReading = Task.Run(async () =>
        {
            try
            {
                await foreach (var record in upstream.ResponseStream.ReadAllAsync(context.CancellationToken))
                {
                    var arrived = Stopwatch.GetTimestamp();
                    lock (upstreamArrivals)
                    {
                        upstreamArrivals[record.Id] = arrived;
                    }
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
            {
            }
        });

        var next = await context.System.NextActionsAsync(punchers.Select(p => p.EmployeeId), context.CancellationToken);
        using var puncher = new PacedPuncher(context.System.RestUri, punchers, next);
        var punches = await puncher.RunAsync(perSecond, duration, context.CancellationToken);

        var admins = fleet.Sockets.Where(s => s.Admin).ToList();
        var own = fleet.Sockets.Where(s => !s.Admin).ToLookup(s => s.EmployeeId);
        List<BenchSocket> Receivers(AcceptedPunch punch) => [.. admins, .. own[punch.EmployeeId]];

        // Let the last frames land (bounded): everything should be there within a second.
        var expected = punches.Sum(p => (long)Receivers(p).Count);
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < TimeSpan.FromSeconds(10) && fleet.Sockets.Sum(s => (long)s.Received) < expected)
        {
            await Task.Delay(50, context.CancellationToken);
        }

        var latencies = new List<double>((int)expected);
        long dropped = 0;
        var early = 0;
        foreach (var punch in punches)
        {
            foreach (var socket in Receivers(punch))
            {
                if (!socket.TryGetArrival(punch.RecordId, out var arrived))
                {
                    dropped++;
                    continue;
                }

                var milliseconds = Stopwatch.GetElapsedTime(punch.RespondedAt, arrived).TotalMilliseconds;
                if (milliseconds < 0)
                {
                    early++;
                    milliseconds = 0;
                }

                latencies.Add(milliseconds);
            }
        }

        upstream.Dispose();
        await upstreamReading;
        var upstreamLatencies = new List<double>(punches.Count);
        lock (upstreamArrivals)
        {
            foreach (var punch in punches)
            {
                if (upstreamArrivals.TryGetValue(punch.RecordId, out var arrived))
                {
                    upstreamLatencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(punch.RespondedAt, arrived).TotalMilliseconds));
                }
            }
        }

        return new Measured(new Distribution(latencies), new Distribution(upstreamLatencies), punches.Count, puncher.Failed, expected, dropped, early,
            fleet.Sockets.Sum(s => s.UnexpectedFrames), fleet.Sockets.Count);
    }

    private static void Record(BenchContext context, ScenarioResult result, string name, Measured measured, double? p50Limit, double p99Limit)
    {
        var latency = measured.Latency;
        result.Figures["sockets"] = measured.Sockets;
        result.Figures["punches"] = measured.Punches;
        result.Figures["frames_expected"] = measured.Expected;
        result.Figures["frames_before_response"] = measured.EarlyFrames;
        result.Figures["latency_p50_ms"] = Math.Round(latency.P50, 2);
        result.Figures["latency_p90_ms"] = Math.Round(latency.P90, 2);
        result.Figures["latency_p99_ms"] = Math.Round(latency.P99, 2);
        result.Figures["latency_p999_ms"] = Math.Round(latency.P999, 2);
        result.Figures["latency_max_ms"] = Math.Round(latency.Max, 2);
        result.Figures["attendance_feed_p50_ms"] = Math.Round(measured.Upstream.P50, 2);
        result.Figures["attendance_feed_p99_ms"] = Math.Round(measured.Upstream.P99, 2);
        if (p50Limit is { } p50)
        {
            result.Checks.Add(Check.AtMost("p50 response → frame", Math.Round(latency.P50, 2), "ms", p50));
        }

        result.Checks.Add(Check.AtMost("p99 response → frame", Math.Round(latency.P99, 2), "ms", p99Limit));
        result.Checks.Add(Check.None("Frames dropped", measured.Dropped, "frames"));
        result.Checks.Add(Check.None("Punches failed", measured.FailedPunches, "requests"));
        result.Checks.Add(Check.None("Resync or other unexpected frames", measured.UnexpectedFrames, "frames"));
        context.Report.Latency.Add(new LatencyCurve(name, latency.Cdf(CdfPoints)));
    }
}
