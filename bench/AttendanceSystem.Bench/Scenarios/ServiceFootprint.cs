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
            $"each service started alone as a Release process on a migrated database (reporter after attendance), timed to its first 200 of /health/ready; resident memory (VmRSS) read {context.Scale.IdleSettle.TotalSeconds:0} s later, before any load");
        await context.System.StartServicesAsync(context.CancellationToken);
        await Task.Delay(context.Scale.IdleSettle, context.CancellationToken);
        foreach (var service in context.System.Services)
        {
            var ready = service.StartToReady.TotalSeconds;
            var megabytes = service.ResidentBytes() / 1024.0 / 1024.0;
            result.Figures[$"{service.Name.ToLowerInvariant()}_start_to_ready_s"] = Math.Round(ready, 3);
            result.Figures[$"{service.Name.ToLowerInvariant()}_idle_rss_mb"] = Math.Round(megabytes, 1);
            result.Checks.Add(Check.AtMost($"{service.Name}: start to ready", Math.Round(ready, 3), "s", ReadyLimitSeconds));
            result.Checks.Add(Check.AtMost($"{service.Name}: idle RSS", Math.Round(megabytes, 1), "MB", IdleLimitMegabytes));
        }
    }
}
