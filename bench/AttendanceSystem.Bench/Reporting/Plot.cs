using System.Globalization;
using System.Net;
using System.Text;

namespace AttendanceSystem.Bench.Reporting;

/// <summary>
/// One SVG a person can read at a glance: on the left the live-feed latency distributions (CDF,
/// log time axis, target lines), on the right each throughput as a share of its baseline.
/// </summary>
public static class Plot
{
    private const int Width = 980, Height = 440, PanelTop = 60, PanelHeight = 300;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

    public static string Svg(BenchReport report)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""");
        svg.Append("""<rect width="100%" height="100%" fill="white"/>""");
        Text(svg, 20, 24, $"Attendance System benchmark, {report.StartedAt:yyyy-MM-dd HH:mm} UTC ({report.Mode}, {report.Machine})", 15, "start", bold: true);
        Latency(svg, report, left: 60, width: 400);
        Throughput(svg, report, left: 560, width: 380);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Latency(StringBuilder svg, BenchReport report, int left, int width)
    {
        // Share of frames slower than t, on a log scale: the tail, where the targets are, gets the room.
        Text(svg, left, PanelTop - 12, "Live feed: POST response → frame; share of frames slower than t", 13, "start", bold: true);
        const double MinMs = 0.25, MaxMs = 1000, MinShare = 1e-4;
        double X(double ms) => left + width * Math.Log(Math.Clamp(ms, MinMs, MaxMs) / MinMs) / Math.Log(MaxMs / MinMs);
        double Y(double slower) => PanelTop + PanelHeight * Math.Log10(1 / Math.Clamp(slower, MinShare, 1)) / Math.Log10(1 / MinShare);
        Frame(svg, left, width);
        foreach (var tick in new[] { 0.25, 1, 5, 20, 50, 200, 1000 })
        {
            Line(svg, X(tick), PanelTop, X(tick), PanelTop + PanelHeight, "#eee");
            Text(svg, X(tick), PanelTop + PanelHeight + 16, tick.ToString(CultureInfo.InvariantCulture) + " ms", 11, "middle");
        }

        foreach (var (slower, label) in new[] { (1.0, "all"), (0.5, "half (p50)"), (0.1, "10%"), (0.01, "1% (p99)"), (0.001, "0.1%"), (0.0001, "0.01%") })
        {
            Line(svg, left, Y(slower), left + width, Y(slower), "#eee");
            Text(svg, left - 6, Y(slower) + 4, label, 10, "end");
        }

        // The targets: a curve must pass below and left of its marks.
        foreach (var (ms, slower, label, above) in new[] { (5.0, 0.5, "p50 ≤ 5 ms", true), (20.0, 0.01, "p99 ≤ 20 ms", true), (50.0, 0.01, "fan-out p99 ≤ 50 ms", false) })
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{X(ms):0.#}" cy="{Y(slower):0.#}" r="4" fill="none" stroke="#555"/>""");
            Text(svg, X(ms) + 6, Y(slower) + (above ? -6 : 14), label, 10, "start");
        }

        for (var i = 0; i < report.Latency.Count; i++)
        {
            var curve = report.Latency[i];
            var points = string.Join(' ', curve.Cdf.Select(p => FormattableString.Invariant($"{X(p[0]):0.#},{Y(1 - p[1]):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{Colours[i % Colours.Length]}" stroke-width="2" points="{points}"/>""");
            Legend(svg, left + 10, PanelTop + PanelHeight + 36 + (i * 16), Colours[i % Colours.Length], curve.Name);
        }
    }

    private static void Throughput(StringBuilder svg, BenchReport report, int left, int width)
    {
        Text(svg, left, PanelTop - 12, "Throughput as a share of its baseline (same run); dashed: target", 13, "start", bold: true);
        Frame(svg, left, width);
        const double Max = 1.2;
        double Y(double share) => PanelTop + PanelHeight * (1 - Math.Min(share, Max) / Max);
        foreach (var share in new[] { 0, 0.25, 0.5, 0.75, 1.0 })
        {
            Line(svg, left, Y(share), left + width, Y(share), share == 1.0 ? "#999" : "#eee");
            Text(svg, left - 6, Y(share) + 4, share.ToString("0.##", CultureInfo.InvariantCulture), 11, "end");
        }

        var bars = report.Throughput;
        if (bars.Count == 0)
        {
            return;
        }

        var slot = (double)width / bars.Count;
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var share = bar.Baseline > 0 ? bar.Measured / bar.Baseline : 0;
            var x = left + (slot * i) + (slot * 0.2);
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x:0.#}" y="{Y(share):0.#}" width="{slot * 0.6:0.#}" height="{PanelTop + PanelHeight - Y(share):0.#}" fill="{Colours[i % Colours.Length]}"/>""");
            Text(svg, x + (slot * 0.3), Y(share) - 6, share.ToString("0.00", CultureInfo.InvariantCulture), 11, "middle", bold: true);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x - 6:0.#}" y1="{Y(bar.Target):0.#}" x2="{x + (slot * 0.6) + 6:0.#}" y2="{Y(bar.Target):0.#}" stroke="#333" stroke-dasharray="4 3"/>""");
            Text(svg, x + (slot * 0.6) + 8, Y(bar.Target) + 4, FormattableString.Invariant($"≥ {bar.Target}"), 9, "start");
            Text(svg, x + (slot * 0.3), PanelTop + PanelHeight + 16, bar.Name, 10, "middle");
            Text(svg, x + (slot * 0.3), PanelTop + PanelHeight + 30,
                FormattableString.Invariant($"{bar.Measured:0.#} vs {bar.Baseline:0.#} {bar.Unit}"), 9, "middle");
            Text(svg, x + (slot * 0.3), PanelTop + PanelHeight + 42, $"(baseline: {bar.BaselineName})", 9, "middle");
        }
    }

    private static void Frame(StringBuilder svg, int left, int width) =>
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{left}" y="{PanelTop}" width="{width}" height="{PanelHeight}" fill="none" stroke="#333"/>""");

    private static void Line(StringBuilder svg, double x1, double y1, double x2, double y2, string colour) =>
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x1:0.#}" y1="{y1:0.#}" x2="{x2:0.#}" y2="{y2:0.#}" stroke="{colour}"/>""");

    private static void Legend(StringBuilder svg, double x, double y, string colour, string name)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="{y - 4:0.#}" x2="{x + 24:0.#}" y2="{y - 4:0.#}" stroke="{colour}" stroke-width="3"/>""");
        Text(svg, x + 30, y, name, 11, "start");
    }

    private static void Text(StringBuilder svg, double x, double y, string text, int size, string anchor, bool bold = false) =>
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x:0.#}" y="{y:0.#}" font-size="{size}" text-anchor="{anchor}"{(bold ? " font-weight=\"bold\"" : "")}>{WebUtility.HtmlEncode(text)}</text>""");
}
