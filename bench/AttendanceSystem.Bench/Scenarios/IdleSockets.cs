using System.Diagnostics;
using AttendanceSystem.Bench.Load;
using AttendanceSystem.Bench.Reporting;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>Many open, quiet sockets: what they cost the reporter, and that every one still gets records.</summary>
public static class IdleSockets
{
    private const int Punches = 3;

    public static async Task RunAsync(BenchContext context)
    {
        var count = context.Scale.IdleSockets;
        var admins = context.System.Admins;
        var result = context.Begin("Idle sockets",
            $"{count:N0} admin WebSockets opened and left idle; reporter RSS read {context.Scale.IdleSettle.TotalSeconds:0} s later; then {Punches} punches, each of which every socket must receive");
        var before = context.System.Reporter.ResidentBytes();
        await using var fleet = new SocketFleet();
        var people = Enumerable.Range(0, count)
            .Select(i => admins[i % admins.Count])
            .Select(id => (context.System.TokenFor(id, admin: true), id, true))
            .ToList();
        var connecting = Stopwatch.StartNew();
        await fleet.ConnectAsync(context.System.SocketUri, people, context.CancellationToken);
        var connectSeconds = connecting.Elapsed.TotalSeconds;
        await Task.Delay(context.Scale.IdleSettle, context.CancellationToken);
        var rss = context.System.Reporter.ResidentBytes();

        var employees = context.EmployeesWithTokens(1);
        var next = await context.System.NextActionsAsync(employees.Select(e => e.EmployeeId), context.CancellationToken);
        using var puncher = new PacedPuncher(context.System.RestUri, employees, next);
        var punches = new List<AcceptedPunch>();
        for (var i = 0; i < Punches; i++)
        {
            punches.AddRange(await puncher.RunAsync(1, TimeSpan.FromSeconds(1), context.CancellationToken));
        }

        var wait = Stopwatch.StartNew();
        int Behind() => fleet.Sockets.Count(s => punches.Any(p => !s.TryGetArrival(p.RecordId, out _)));
        while (Behind() > 0 && wait.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200, context.CancellationToken);
        }

        var missing = Behind();
        result.Figures["sockets"] = count;
        result.Figures["connect_s"] = Math.Round(connectSeconds, 2);
        result.Figures["reporter_rss_before_mb"] = Math.Round(before / 1048576.0, 1);
        result.Figures["reporter_rss_mb"] = Math.Round(rss / 1048576.0, 1);
        result.Figures["reporter_kb_per_socket"] = Math.Round((rss - before) / 1024.0 / count, 1);
        result.Figures["all_received_within_s"] = Math.Round(wait.Elapsed.TotalSeconds, 2);
        result.Checks.Add(Check.AtMost($"Reporter RSS with {count:N0} sockets", Math.Round(rss / 1048576.0, 1), "MB", 300));
        result.Checks.Add(Check.None("Sockets that missed a record", missing, "sockets"));
        result.Checks.Add(Check.None("Punches failed", puncher.Failed, "requests"));
    }
}
