using AttendanceSystem.Bench.Load;
using AttendanceSystem.Bench.Reporting;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>
/// POST /attendance flat out, one employee per connection, against pgbench running the same
/// transaction on the same cluster; rounds alternate so both see the same machine.
/// </summary>
public static class PunchThroughput
{
    public static async Task RunEmptyAsync(BenchContext context)
    {
        var (service, baseline, result) = await MeasureAsync(context, "Punch throughput", "an almost empty table");
        context.EmptyTablePunchesPerSecond = service;
        result.Checks.Add(Check.AtLeast("Punches/s / pgbench punches/s", Math.Round(service / baseline, 3), "ratio", 0.5));
    }

    public static async Task RunWithHistoryAsync(BenchContext context)
    {
        var (service, baseline, result) = await MeasureAsync(context, "Punch throughput with history",
            $"{context.Scale.HistoryRecords:N0} records already in the table");
        result.Figures["empty_table_punches_per_s"] = Math.Round(context.EmptyTablePunchesPerSecond, 1);
        result.Checks.Add(Check.AtLeast("Punches/s with history / punches/s on the empty table",
            Math.Round(service / context.EmptyTablePunchesPerSecond, 3), "ratio", 0.9));
        result.Checks.Add(Check.AtLeast("Punches/s / pgbench punches/s (with history)", Math.Round(service / baseline, 3), "ratio", 0.5));
    }

    /// <summary>More clients in flight than the database has connections for: they must queue, not fail.</summary>
    public static async Task RunOverloadAsync(BenchContext context)
    {
        var clients = context.Scale.OverloadClients;
        var result = context.Begin("Overload",
            $"{clients} wrk connections, each a different employee, punching flat out for {context.Scale.PunchRun.TotalSeconds:0} s");
        var run = await PunchAsync(context, clients, context.Scale.PunchRun);
        result.Figures["punches_per_s"] = Math.Round(run.SucceededPerSecond, 1);
        result.Figures["latency_p50_ms"] = run.LatencyP50Ms;
        result.Figures["latency_p99_ms"] = run.LatencyP99Ms;
        result.Figures["requests"] = run.Requests;
        result.Checks.Add(Check.None($"Errors with {clients} clients in flight", run.Errors, "requests"));
    }

    private static async Task<(double Service, double Baseline, ScenarioResult Result)> MeasureAsync(BenchContext context, string name, string table)
    {
        var scale = context.Scale;
        var clients = scale.PunchClients;
        var result = context.Begin(name,
            $"{clients} clients, each a different employee alternating in/out, on {table}; {scale.PunchRounds} rounds of {scale.PunchRun.TotalSeconds:0} s of pgbench (same cluster, same INSERT with its rule trigger, prepared) then {scale.PunchRun.TotalSeconds:0} s of POST /attendance by wrk; means");
        var employees = context.System.Employees.Take(clients).ToList();
        if (employees[^1] - employees[0] != clients - 1)
        {
            throw new InvalidOperationException("pgbench needs the employees' ids to be consecutive.");
        }

        double baselineSum = 0, serviceSum = 0;
        long errors = 0;
        double p99 = 0;
        for (var round = 0; round < scale.PunchRounds; round++)
        {
            baselineSum += await Pgbench.PunchesPerSecondAsync(context.System.ConnectionString, employees[0], clients, scale.PunchRun, context.CancellationToken);
            if (round == 0)
            {
                await PunchAsync(context, clients, scale.Warmup);
            }

            var run = await PunchAsync(context, clients, scale.PunchRun);
            serviceSum += run.SucceededPerSecond;
            errors += run.Errors;
            p99 = Math.Max(p99, run.LatencyP99Ms);
        }

        var baseline = baselineSum / scale.PunchRounds;
        var service = serviceSum / scale.PunchRounds;
        result.Figures["pgbench_punches_per_s"] = Math.Round(baseline, 1);
        result.Figures["punches_per_s"] = Math.Round(service, 1);
        result.Figures["latency_p99_ms"] = p99;
        result.Figures["errors"] = errors;
        result.Checks.Add(Check.None("Failed punches", errors, "requests"));
        context.Report.Throughput.Add(new ThroughputBar(name, baseline, "pgbench", service, "punches/s", Target: 0.5));
        return (service, baseline, result);
    }

    private static async Task<WrkResult> PunchAsync(BenchContext context, int clients, TimeSpan duration)
    {
        var people = context.EmployeesWithTokens(clients);
        var next = await context.System.NextActionsAsync(people.Select(p => p.EmployeeId), context.CancellationToken);
        var result = await Wrk.PunchAsync(context.System.RestUri, people.Select(p => (p.Token, next[p.EmployeeId])).ToList(), duration, context.CancellationToken);
        // wrk stops mid-request; the punches it walked away from still commit. Read where everyone
        // stands only once they have, or the next run would start out of step.
        await context.System.WaitUntilQuietAsync(context.CancellationToken);
        return result;
    }
}
