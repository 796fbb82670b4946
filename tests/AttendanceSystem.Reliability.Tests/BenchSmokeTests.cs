using System.Diagnostics;
using System.Text.Json;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>
/// The benchmark harness in smoke mode (scripts/bench.sh --smoke: tiny numbers, timing not judged),
/// so it never rots: every scenario must run to the end against the real system and lose nothing.
/// </summary>
public sealed class BenchSmokeTests
{
    private static readonly string[] Scenarios =
    [
        "Service footprint", "Logins", "Punch throughput", "Overload", "Live latency", "Fan-out",
        "Idle sockets", "Punch throughput with history", "gRPC List", "Monthly report",
    ];

    [Fact]
    public async Task Every_scenario_runs_measures_and_loses_nothing()
    {
        var server = await PostgresServer.ConnectionStringAsync();
        var output = Directory.CreateTempSubdirectory("bench-smoke-").FullName;
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var harness = Path.Combine(RepositoryRoot.Path, "bench", "AttendanceSystem.Bench", "bin", configuration, "net10.0", "AttendanceSystem.Bench.dll");

        var (exitCode, printed) = await RunAsync(harness, "--smoke", "--database", server, "--out", output);

        Assert.True(exitCode == 0, $"the harness failed ({exitCode}):\n{printed}");
        var json = Assert.Single(Directory.GetFiles(output, "*-smoke.json"));
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = report.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("failure").ValueKind);
        var scenarios = root.GetProperty("scenarios").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(Scenarios, scenarios.Keys);

        // Nothing lost, nothing failed: the checks that are judged even at smoke scale.
        var failed = scenarios.Values
            .SelectMany(s => s.GetProperty("checks").EnumerateArray().Select(c => (Scenario: s, Check: c)))
            .Where(x => !x.Check.GetProperty("timing").GetBoolean() && !x.Check.GetProperty("met").GetBoolean())
            .Select(x => $"{x.Scenario.GetProperty("name")}: {x.Check.GetProperty("target")} = {x.Check.GetProperty("measured")}")
            .ToList();
        Assert.True(failed.Count == 0, string.Join('\n', failed));

        // And every scenario measured something real.
        double Figure(string scenario, string name) => scenarios[scenario].GetProperty("figures").GetProperty(name).GetDouble();
        Assert.All(new[] { "auth", "attendance", "reporter" }, service =>
        {
            Assert.InRange(Figure("Service footprint", service + "_start_to_ready_s"), 0.01, 60);
            Assert.True(Figure("Service footprint", service + "_idle_rss_mb") > 10);
        });
        Assert.True(Figure("Logins", "logins_per_s") > 0);
        Assert.True(Figure("Logins", "bcrypt_verifications_per_s") > 0);
        Assert.True(Figure("Punch throughput", "punches_per_s") > 0);
        Assert.True(Figure("Punch throughput", "ceiling_tps") > 0);
        Assert.True(Figure("Punch throughput", "project_sql_tps") > 0);
        Assert.True(Figure("Punch throughput", "project_sql_with_notify_trigger_tps") > 0);
        Assert.True(Figure("Punch throughput", "attendance_cpu_ms_per_punch") > 0);
        Assert.True(Figure("Monthly report", "punches_per_s_while_reports_are_read") > 0);
        Assert.True(Figure("Overload", "requests") > 0);
        Assert.True(Figure("Live latency", "frames_expected") > 0);
        Assert.True(Figure("Fan-out", "frames_expected") > 0);
        Assert.Equal(200, Figure("Idle sockets", "sockets"));
        Assert.Equal(2_000, Figure("gRPC List", "records"));
        Assert.Equal(40 * 22 * 2, Figure("Monthly report", "records"));

        // The people-facing report and the plot are written too.
        Assert.Contains("| Live latency | p99 response → frame |", await File.ReadAllTextAsync(Path.ChangeExtension(json, ".md")));
        Assert.Contains("<polyline", await File.ReadAllTextAsync(Path.ChangeExtension(json, ".svg")));
        Directory.Delete(output, recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string dll, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The smoke run took over 4 minutes:\n" + await errors);
        }

        return (process.ExitCode, await errors + "\n" + await output);
    }
}
