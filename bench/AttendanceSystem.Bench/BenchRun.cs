using System.Diagnostics;
using System.Runtime.InteropServices;
using AttendanceSystem.Bench.Harness;
using AttendanceSystem.Bench.Reporting;
using AttendanceSystem.Bench.Scenarios;

namespace AttendanceSystem.Bench;

/// <summary>Every scenario in order, on one system, into one report.</summary>
public static class BenchRun
{
    /// <summary>Scenario order matters: footprint first (idle, fresh processes), history late (it grows the table for good).</summary>
    private static readonly (string Name, Func<BenchContext, Task> Run)[] Scenarios =
    [
        ("footprint", ServiceFootprint.RunAsync),
        ("logins", Logins.RunAsync),
        ("throughput", PunchThroughput.RunEmptyAsync),
        ("overload", PunchThroughput.RunOverloadAsync),
        ("live", LiveFeed.RunLatencyAsync),
        ("fan-out", LiveFeed.RunFanOutAsync),
        ("idle sockets", IdleSockets.RunAsync),
        ("history load", History.LoadAsync),
        ("throughput with history", PunchThroughput.RunWithHistoryAsync),
        ("grpc list", History.RunListAsync),
        ("monthly report", MonthlyReport.RunAsync),
    ];

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        using var timeLimit = new CancellationTokenSource(settings.TimeLimit);
        var report = new BenchReport
        {
            StartedAt = DateTime.UtcNow,
            Mode = settings.Smoke ? "smoke" : "full",
            Machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}",
        };
        var clock = Stopwatch.StartNew();
        BenchSystem? system = null;
        try
        {
            system = await BenchSystem.CreateAsync(settings, timeLimit.Token);
            BenchContext.Log($"Services log to {system.LogDirectory}");
            var context = new BenchContext(settings, system, report, timeLimit.Token);
            // The footprint scenario starts the services, so it always runs.
            foreach (var (name, run) in Scenarios.Where(s => settings.Only is null || s.Name == "footprint" || settings.Only.Contains(s.Name)))
            {
                try
                {
                    await run(context);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || timeLimit.IsCancellationRequested)
                {
                    report.Failure = $"{name}: {ex.GetType().Name}: {ex.Message}";
                    BenchContext.Log(report.Failure + "\n" + ex);
                    break;
                }
            }
        }
        finally
        {
            if (system is not null)
            {
                await system.DisposeAsync();
            }
        }

        report.DurationSeconds = clock.Elapsed.TotalSeconds;
        var markdown = await ReportWriter.WriteAsync(report, settings.OutputDirectory, CancellationToken.None);
        if (settings.Readme is not null && !report.Smoke && settings.Only is null)
        {
            var link = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(settings.Readme))!, markdown)[..^".md".Length];
            await ReportWriter.UpdateReadmeAsync(settings.Readme, report, link, CancellationToken.None);
        }

        Console.WriteLine(await File.ReadAllTextAsync(markdown));
        BenchContext.Log($"Report: {markdown}");
        return report.Broken ? 1 : 0;
    }
}
