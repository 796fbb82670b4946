using AttendanceSystem.Bench.Harness;
using AttendanceSystem.Bench.Reporting;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>What every scenario works with: the running system, the scale, the report it adds to.</summary>
public sealed class BenchContext(BenchSettings settings, BenchSystem system, BenchReport report, CancellationToken cancellationToken)
{
    public BenchSettings Settings { get; } = settings;

    public BenchScale Scale => Settings.Scale;

    public BenchSystem System { get; } = system;

    public BenchReport Report { get; } = report;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Throughput figures of the empty table, which the history scenario compares against.</summary>
    public double EmptyTablePunchesPerSecond { get; set; }

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    public ScenarioResult Begin(string name, string setup)
    {
        Log($"{name}: {setup}");
        var result = new ScenarioResult(name, setup);
        Report.Scenarios.Add(result);
        return result;
    }

    /// <summary>People with their tokens: the first <paramref name="count"/> seeded employees.</summary>
    public List<(int EmployeeId, string Token)> EmployeesWithTokens(int count) =>
        System.Employees.Take(count).Select(id => (id, System.TokenFor(id))).ToList();
}
