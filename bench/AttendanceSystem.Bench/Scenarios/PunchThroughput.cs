using AttendanceSystem.Bench.Load;
using AttendanceSystem.Bench.Reporting;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>
/// POST /attendance flat out, one employee per connection, against pgbench on the same cluster:
/// the plain INSERT + UPDATE a punch cannot beat, and the project's own punch SQL; rounds
/// alternate so all of them see the same machine.
/// </summary>
public static class PunchThroughput
{
    public static async Task RunEmptyAsync(BenchContext context)
    {
        var measured = await MeasureAsync(context, "Punch throughput", "an almost empty table", withBaselineVariants: true);
        context.EmptyTablePunchesPerSecond = measured.Service;
    }

    public static async Task RunWithHistoryAsync(BenchContext context)
    {
        var measured = await MeasureAsync(context, "Punch throughput with history",
            $"{context.Scale.HistoryRecords:N0} records already in the table", withBaselineVariants: false);
        measured.Result.Figures["empty_table_punches_per_s"] = Math.Round(context.EmptyTablePunchesPerSecond, 1);
        measured.Result.Checks.Add(Check.AtLeast("Punches/s with history / punches/s on the empty table",
            Math.Round(measured.Service / context.EmptyTablePunchesPerSecond, 3), "ratio", 0.9));
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

    private sealed record Measured(double Service, double Ceiling, ScenarioResult Result);

    /// <summary>
    /// Rounds of: pgbench at the ceiling (plain INSERT + UPDATE), pgbench running the project's punch
    /// SQL, then POST /attendance by wrk; with <paramref name="withBaselineVariants"/> also, once, the
    /// project's SQL with the NOTIFY trigger punches carried before the feed's doorbell left the
    /// transaction. Also the attendance process's CPU time per punch.
    /// </summary>
    private static async Task<Measured> MeasureAsync(BenchContext context, string name, string table, bool withBaselineVariants)
    {
        var scale = context.Scale;
        var clients = scale.PunchClients;
        var seconds = scale.PunchRun.TotalSeconds;
        var result = context.Begin(name,
            $"{clients} clients, each a different employee alternating in/out, on {table}; {scale.PunchRounds} rounds of {seconds:0} s each of pgbench at the ceiling (one statement: UPDATE a state row + INSERT a record into trigger-less copies of the tables), pgbench running the project's punch SQL (the INSERT with its rule trigger), then POST /attendance by wrk; all prepared, same cluster; means");
        var employees = context.System.Employees.Take(clients).ToList();
        if (employees[^1] - employees[0] != clients - 1)
        {
            throw new InvalidOperationException("pgbench needs the employees' ids to be consecutive.");
        }

        var database = context.System.ConnectionString;
        await Pgbench.PrepareCeilingAsync(database, context.CancellationToken);
        Task<double> PgbenchAsync(PunchSql sql) =>
            Pgbench.PunchesPerSecondAsync(database, sql, employees[0], clients, scale.PunchRun, context.CancellationToken);

        double ceilingSum = 0, projectSum = 0, serviceSum = 0, cpuMs = 0;
        long errors = 0, punches = 0;
        double p99 = 0;
        for (var round = 0; round < scale.PunchRounds; round++)
        {
            ceilingSum += await PgbenchAsync(PunchSql.Ceiling);
            projectSum += await PgbenchAsync(PunchSql.Project);
            if (round == 0)
            {
                await PunchAsync(context, clients, scale.Warmup);
            }

            var cpuBefore = context.System.Attendance.CpuTime();
            var run = await PunchAsync(context, clients, scale.PunchRun);
            cpuMs += (context.System.Attendance.CpuTime() - cpuBefore).TotalMilliseconds;
            punches += run.Succeeded;
            serviceSum += run.SucceededPerSecond;
            errors += run.Errors;
            p99 = Math.Max(p99, run.LatencyP99Ms);
        }

        var ceiling = ceilingSum / scale.PunchRounds;
        var project = projectSum / scale.PunchRounds;
        var service = serviceSum / scale.PunchRounds;
        var cpuPerPunch = punches == 0 ? double.NaN : Math.Round(cpuMs / punches, 3);
        result.Figures["ceiling_tps"] = Math.Round(ceiling, 1);
        result.Figures["project_sql_tps"] = Math.Round(project, 1);
        result.Figures["punches_per_s"] = Math.Round(service, 1);
        result.Figures["latency_p99_ms"] = p99;
        result.Figures["attendance_cpu_ms_per_punch"] = cpuPerPunch;
        result.Figures["errors"] = errors;
        if (withBaselineVariants)
        {
            double withNotify = 0;
            await Pgbench.WithNotifyTriggerAsync(database, async () => withNotify = await PgbenchAsync(PunchSql.Project), context.CancellationToken);
            result.Figures["project_sql_with_notify_trigger_tps"] = Math.Round(withNotify, 1);
        }

        result.Checks.Add(Check.None("Failed punches", errors, "requests"));
        result.Checks.Add(Check.AtLeast("Punches/s / ceiling tps", Math.Round(service / ceiling, 3), "ratio", 0.5));
        result.Checks.Add(Check.AtLeast("Project SQL tps / ceiling tps", Math.Round(project / ceiling, 3), "ratio", 0.9));
        result.Checks.Add(Check.AtMost("Attendance CPU per punch", cpuPerPunch, "ms", 0.3));
        context.Report.Throughput.Add(new ThroughputBar(name, ceiling, "plain INSERT + UPDATE", service, "punches/s", Target: 0.5));
        return new Measured(service, ceiling, result);
    }

    /// <summary>POST /attendance by <paramref name="clients"/> wrk connections, each a different employee, for <paramref name="duration"/>.</summary>
    public static async Task<WrkResult> PunchAsync(BenchContext context, int clients, TimeSpan duration)
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
