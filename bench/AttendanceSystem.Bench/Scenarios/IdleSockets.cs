using System.Diagnostics;
using AttendanceSystem.Bench.Load;
using AttendanceSystem.Bench.Reporting;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>Many open, quiet sockets: what they cost the reporter, and that every one still gets records.</summary>
public static class IdleSockets
{
    private const int Punches = 3;

    /// <summary>Resident memory of the empty app before and after it holds <paramref name="count"/> idle sockets.</summary>
    private static async Task<(long Before, long After)> FloorAsync(BenchContext context, int count)
    {
        await using var floor = await context.System.StartFloorAsync(context.CancellationToken);
        var before = floor.ResidentBytes();
        await using var fleet = new SocketFleet();
        await fleet.ConnectAsync(new Uri($"ws://127.0.0.1:{floor.Port}/ws"),
            Enumerable.Range(0, count).Select(i => ("-", i, true)).ToList(), context.CancellationToken);
        await Task.Delay(context.Scale.IdleSettle, context.CancellationToken);
        return (before, floor.ResidentBytes());
    }

    public static async Task RunAsync(BenchContext context)
    {
        var count = context.Scale.IdleSockets;
        var admins = context.System.Admins;
        var result = context.Begin("Idle sockets",
            $"{count:N0} admin WebSockets opened and left idle; reporter RSS read {context.Scale.IdleSettle.TotalSeconds:0} s later; then {Punches} punches, each of which every socket must receive. " +
            "Floor: as many sockets on an empty ASP.NET Core app whose /ws says hello and waits, measured the same way first");
        var (floorBefore, floorAfter) = await FloorAsync(context, count);
        result.Figures["empty_app_rss_mb"] = Math.Round(floorAfter / 1048576.0, 1);
        result.Figures["empty_app_kb_per_socket"] = Math.Round((floorAfter - floorBefore) / 1024.0 / count, 1);

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
        var check = Check.AtMost($"Reporter RSS with {count:N0} sockets", Math.Round(rss / 1048576.0, 1), "MB", 300);
        result.Checks.Add(check.Met ? check : check with
        {
            Note = FormattableString.Invariant(
                $"{(rss - before) / 1024.0 / count:0.0} KB per socket against {(floorAfter - floorBefore) / 1024.0 / count:0.0} KB on an empty ASP.NET Core app, on top of the {before / 1048576.0:0} MB the reporter held before the first socket (code compiled and pages touched by the load before; the GC heap is a small part)"),
        });
        result.Checks.Add(Check.None("Sockets that missed a record", missing, "sockets"));
        result.Checks.Add(Check.None("Punches failed", puncher.Failed, "requests"));
    }
}
