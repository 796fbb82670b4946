using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AttendanceSystem.Bench.Load;

/// <summary>What a wrk run reported.</summary>
public sealed record WrkResult(long Requests, TimeSpan Duration, long Non2xx, long SocketErrors, double LatencyP50Ms, double LatencyP99Ms)
{
    public long Succeeded => Requests - Non2xx;

    public double SucceededPerSecond => Succeeded / Duration.TotalSeconds;

    public long Errors => Non2xx + SocketErrors;
}

/// <summary>
/// Debian's wrk as the HTTP load generator: one thread per connection, so each connection is one
/// person whose requests follow each other strictly (the punch rules need that), and wrk's C loop
/// leaves the cores to the system under test.
/// </summary>
public static partial class Wrk
{
    /// <summary>Gives each wrk thread (one connection each) its number, <c>index</c>, to pick its person by.</summary>
    private const string NumberThreads = """
        local next_index = 0
        function setup(thread)
          thread:set("index", next_index)
          next_index = next_index + 1
        end

        """;

    /// <summary>
    /// POST /attendance as one employee per connection, alternating in/out from where each one stands.
    /// An action flips on 201, and on 409 (the rules say the employee already stands there), so one
    /// lost response cannot put a connection out of step for the rest of the run; both still count.
    /// </summary>
    public static Task<WrkResult> PunchAsync(Uri rest, IReadOnlyList<(string Token, string FirstAction)> people, TimeSpan duration, CancellationToken cancellationToken)
    {
        var script = new StringBuilder();
        script.AppendLine("local people = {");
        foreach (var (token, first) in people)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"  {{ \"{token}\", \"{first}\" }},");
        }

        script.AppendLine("}");
        script.Append(NumberThreads);
        script.Append("""
            function init(args)
              local me = people[index + 1]
              headers = { ["Authorization"] = "Bearer " .. me[1], ["Content-Type"] = "application/json" }
              action = me[2]
            end
            function request()
              return wrk.format("POST", "/attendance", headers, '{"action":"' .. action .. '"}')
            end
            function response(status, headers, body)
              if status == 201 or status == 409 then
                if action == "in" then action = "out" else action = "in" end
              end
            end
            """);
        return RunAsync(new Uri(rest, "/attendance"), people.Count, duration, script.ToString(), cancellationToken);
    }

    private static async Task<WrkResult> RunAsync(Uri url, int connections, TimeSpan duration, string script, CancellationToken cancellationToken)
    {
        var output = await Tool.WithScriptFileAsync(".lua", script, file => Tool.RunAsync("wrk", [
            "-t", connections.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", Tool.WholeSeconds(duration) + "s", "--timeout", "30s", "--latency", "-s", file, url.ToString()], cancellationToken), cancellationToken);
        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        var total = TotalPattern().Match(output);
        if (!total.Success)
        {
            throw new InvalidOperationException("wrk printed no totals:\n" + output);
        }

        var requests = long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
        var duration = ToTime(total.Groups[2].Value, total.Groups[3].Value);
        var non2xx = Non2xxPattern().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        long socketErrors = 0;
        if (SocketErrorsPattern().Match(output) is { Success: true } s)
        {
            socketErrors = Enumerable.Range(1, 4).Sum(i => long.Parse(s.Groups[i].Value, CultureInfo.InvariantCulture));
        }

        return new WrkResult(requests, duration, non2xx, socketErrors, LatencyAt(output, "50"), LatencyAt(output, "99"));
    }

    private static double LatencyAt(string output, string percent)
    {
        var match = Regex.Match(output, @"^\s+" + percent + @"(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        return match.Success ? ToTime(match.Groups[1].Value, match.Groups[2].Value).TotalMilliseconds : double.NaN;
    }

    private static TimeSpan ToTime(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => TimeSpan.FromMicroseconds(number),
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => throw new FormatException($"unknown unit {unit}"),
        };
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m),")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
