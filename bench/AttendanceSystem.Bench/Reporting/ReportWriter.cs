using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AttendanceSystem.Bench.Reporting;

/// <summary>Writes a run as &lt;date&gt;.json (every figure), &lt;date&gt;.md (for people) and &lt;date&gt;.svg (the plot).</summary>
public static class ReportWriter
{
    public const string ReadmeStart = "<!-- bench:start -->";
    public const string ReadmeEnd = "<!-- bench:end -->";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes the three files and returns the markdown's path.</summary>
    public static async Task<string> WriteAsync(BenchReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, report.StartedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (report.Smoke ? "-smoke" : ""));
        var plotName = Path.GetFileName(stem) + ".svg";
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(report, Json), cancellationToken);
        await File.WriteAllTextAsync(stem + ".svg", Plot.Svg(report), cancellationToken);
        await File.WriteAllTextAsync(stem + ".md", Markdown(report, plotName), cancellationToken);
        return stem + ".md";
    }

    /// <summary>Replaces what stands between the bench markers of a README with the targets table of this run.</summary>
    public static async Task UpdateReadmeAsync(string readme, BenchReport report, string resultsLink, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(readme, cancellationToken);
        var start = text.IndexOf(ReadmeStart, StringComparison.Ordinal);
        var end = text.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"{readme} has no {ReadmeStart} … {ReadmeEnd} section.");
        }

        var section = new StringBuilder();
        section.AppendLine(ReadmeStart);
        section.AppendLine(CultureInfo.InvariantCulture, $"Latest run: {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.Machine}; full report in [{resultsLink}.md]({resultsLink}.md).");
        section.AppendLine();
        Targets(section, report);
        section.AppendLine();
        section.AppendLine(CultureInfo.InvariantCulture, $"![latency and throughput]({resultsLink}.svg)");
        await File.WriteAllTextAsync(readme, text[..start] + section + text[end..], cancellationToken);
    }

    public static string Markdown(BenchReport report, string plotName)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark: {report.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        var kind = report.Smoke ? "Smoke run (tiny numbers; timing targets not judged)" : "Full run";
        md.AppendLine(FormattableString.Invariant($"{kind} on {report.Machine}, {report.DurationSeconds / 60:0.0} min. ") +
            "Made by `scripts/bench.sh`: Release builds, a private PostgreSQL cluster, the services as processes on loopback. " +
            "Every ratio's baseline was measured in this same run on this same machine.");
        md.AppendLine();
        if (report.Failure is not null)
        {
            md.AppendLine("**The run stopped early:** " + report.Failure);
            md.AppendLine();
        }

        md.AppendLine("## Targets");
        md.AppendLine();
        Targets(md, report);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![latency and throughput]({plotName})");
        md.AppendLine();
        md.AppendLine("## Scenarios");
        foreach (var scenario in report.Scenarios)
        {
            md.AppendLine();
            md.AppendLine("### " + scenario.Name);
            md.AppendLine();
            md.AppendLine(scenario.Setup + ".");
            md.AppendLine();
            md.AppendLine("| figure | value |");
            md.AppendLine("|---|---:|");
            foreach (var (name, value) in scenario.Figures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value:#,0.###} |");
            }
        }

        return md.ToString();
    }

    private static void Targets(StringBuilder md, BenchReport report)
    {
        md.AppendLine("| scenario | target | measured | limit | |");
        md.AppendLine("|---|---|---:|---:|---|");
        foreach (var scenario in report.Scenarios)
        {
            foreach (var check in scenario.Checks)
            {
                var verdict = report.Smoke && check.Timing ? "not judged (smoke)" : check.Met ? "met" : "**missed**";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {scenario.Name} | {check.Target} | {check.Measured:#,0.###} {check.Unit} | {check.Comparison.Replace(">=", "≥", StringComparison.Ordinal).Replace("<=", "≤", StringComparison.Ordinal).Replace("==", "=", StringComparison.Ordinal)} {check.Limit:#,0.###} | {verdict}{(check.Note is null ? "" : ": " + check.Note)} |");
            }
        }
    }
}
