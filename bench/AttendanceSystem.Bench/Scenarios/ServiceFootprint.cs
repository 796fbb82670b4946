using AttendanceSystem.Bench.Reporting;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>Each service: from process start to /health/ready, and resident memory once idle.</summary>
public static class ServiceFootprint
{
    private const double ReadyLimitSeconds = 2;
    private const double IdleLimitMegabytes = 80;

    public static async Task RunAsync(BenchContext context)
    {
        var result = context.Begin("Service footprint",
            $"each service started alone as a Release process on a migrated database (reporter after attendance), timed to its first 200 of /health/ready; resident memory (VmRSS) read {context.Scale.IdleSettle.TotalSeconds:0} s later, before any load. " +
            "Floor: an empty ASP.NET Core app (one endpoint) measured the same way first");

        // What the runtime and Kestrel take before any code of ours: the part of each figure no service can shed.
        double floorReady, floorMegabytes;
        await using (var floor = await context.System.StartFloorAsync(context.CancellationToken))
        {
            await Task.Delay(context.Scale.IdleSettle, context.CancellationToken);
            (floorReady, floorMegabytes) = (floor.StartToReady.TotalSeconds, floor.ResidentBytes() / 1048576.0);
        }

        result.Figures["empty_app_start_to_ready_s"] = Math.Round(floorReady, 3);
        result.Figures["empty_app_idle_rss_mb"] = Math.Round(floorMegabytes, 1);

        await context.System.StartServicesAsync(context.CancellationToken);
        await Task.Delay(context.Scale.IdleSettle, context.CancellationToken);
        foreach (var service in context.System.Services)
        {
            var ready = service.StartToReady.TotalSeconds;
            var megabytes = service.ResidentBytes() / 1048576.0;
            result.Figures[$"{service.Name.ToLowerInvariant()}_start_to_ready_s"] = Math.Round(ready, 3);
            result.Figures[$"{service.Name.ToLowerInvariant()}_idle_rss_mb"] = Math.Round(megabytes, 1);
            result.Checks.Add(Check.AtMost($"{service.Name}: start to ready", Math.Round(ready, 3), "s", ReadyLimitSeconds));
            var rss = Check.AtMost($"{service.Name}: idle RSS", Math.Round(megabytes, 1), "MB", IdleLimitMegabytes);
            result.Checks.Add(rss.Met ? rss : rss with
            {
                Note = FormattableString.Invariant(
                    $"an empty ASP.NET Core app takes {floorMegabytes:0} MB here; the rest is EF Core, Npgsql, gRPC, JWT and logging code, mapped and JIT-compiled"),
            });
        }

        await MeasureRuntimeOptionsAsync(context, result);
    }

    /// <summary>Runtime settings that could shrink an idle process, each tried on every service.</summary>
    private static readonly (string Name, Dictionary<string, string> Settings)[] RuntimeOptions =
    [
        ("workstation_gc", new() { ["DOTNET_gcServer"] = "0" }),
        ("workstation_gc_not_concurrent", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" }),
        ("server_gc_without_datas", new() { ["DOTNET_GCDynamicAdaptationMode"] = "0" }),
        ("tiered_pgo_off", new() { ["DOTNET_TieredPGO"] = "0" }),
        ("tiered_compilation_off", new() { ["DOTNET_TieredCompilation"] = "0" }),
        ("write_xor_execute_off", new() { ["DOTNET_EnableWriteXorExecute"] = "0" }),
    ];

    /// <summary>
    /// Each service again, alone beside the running system, once per runtime option: its idle RSS, as
    /// a figure next to the shipped settings' (server GC with DATAS, concurrent, invariant globalization).
    /// </summary>
    private static async Task MeasureRuntimeOptionsAsync(BenchContext context, ScenarioResult result)
    {
        if (context.Settings.Smoke)
        {
            return;
        }

        foreach (var project in new[] { "Auth", "Attendance", "Reporter" })
        {
            foreach (var (name, settings) in RuntimeOptions)
            {
                await using var variant = await context.System.StartVariantAsync(project, settings, context.CancellationToken);
                await Task.Delay(context.Scale.IdleSettle, context.CancellationToken);
                result.Figures[$"{project.ToLowerInvariant()}_idle_rss_mb_{name}"] = Math.Round(variant.ResidentBytes() / 1048576.0, 1);
            }
        }
    }
}
