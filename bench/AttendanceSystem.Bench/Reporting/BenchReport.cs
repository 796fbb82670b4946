using System.Text.Json.Serialization;

namespace AttendanceSystem.Bench.Reporting;

/// <summary>
/// One target of the issue, judged. Timing targets are judged only at full scale; correctness ones
/// (nothing dropped, no errors) always, and a failed correctness check fails the run.
/// </summary>
public sealed record Check(string Target, double Measured, string Unit, string Comparison, double Limit, bool Timing)
{
    /// <summary>Why the figure is what it is, when a target is missed (or a note worth keeping beside it).</summary>
    public string? Note { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool Met => Comparison switch
    {
        ">=" => Measured >= Limit,
        "<=" => Measured <= Limit,
        "==" => Measured == Limit,
        _ => throw new InvalidOperationException(Comparison),
    };

    public static Check AtLeast(string target, double measured, string unit, double limit, bool timing = true) => new(target, measured, unit, ">=", limit, timing);

    public static Check AtMost(string target, double measured, string unit, double limit, bool timing = true) => new(target, measured, unit, "<=", limit, timing);

    public static Check None(string target, double measured, string unit) => new(target, measured, unit, "==", 0, Timing: false);
}

/// <summary>What one scenario measured: its figures by name, and the targets judged on them.</summary>
public sealed class ScenarioResult(string name, string setup)
{
    public string Name { get; } = name;

    /// <summary>How the scenario was run, in a sentence (clients, rates, sizes, durations).</summary>
    public string Setup { get; } = setup;

    public SortedDictionary<string, double> Figures { get; } = [];

    public List<Check> Checks { get; } = [];
}

/// <summary>A latency distribution for the plot: its CDF at fixed points (ms, share at or below).</summary>
public sealed record LatencyCurve(string Name, IReadOnlyList<double[]> Cdf);

/// <summary>A throughput pair for the plot: the system and its baseline, in the same unit.</summary>
public sealed record ThroughputBar(string Name, double Baseline, string BaselineName, double Measured, string Unit, double Target);

public sealed class BenchReport
{
    public required DateTime StartedAt { get; init; }

    public required string Mode { get; init; }

    public required string Machine { get; init; }

    public double DurationSeconds { get; set; }

    public List<ScenarioResult> Scenarios { get; } = [];

    public List<LatencyCurve> Latency { get; } = [];

    public List<ThroughputBar> Throughput { get; } = [];

    /// <summary>The scenario that stopped the run, if one did.</summary>
    public string? Failure { get; set; }

    [JsonIgnore]
    public bool Smoke => Mode == "smoke";

    /// <summary>Correctness checks failed (always), or the run did not finish.</summary>
    [JsonIgnore]
    public bool Broken => Failure is not null || Scenarios.SelectMany(s => s.Checks).Any(c => !c.Timing && !c.Met);
}
