using System.Diagnostics;
using System.Globalization;

namespace AttendanceSystem.Bench.Load;

/// <summary>Runs the command-line tools the harness drives (wrk, pgbench, the migrator).</summary>
public static class Tool
{
    /// <summary>Runs a tool to its end and returns what it printed; fails with its output when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        using var kill = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }

        return await output + await errors;
    }

    /// <summary>Hands a tool its script as a temporary file, removed once the tool is done.</summary>
    public static async Task<T> WithScriptFileAsync<T>(string extension, string script, Func<string, Task<T>> use, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}{extension}");
        await File.WriteAllTextAsync(file, script, cancellationToken);
        try
        {
            return await use(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A run length as the whole seconds wrk and pgbench take (at least one).</summary>
    public static string WholeSeconds(TimeSpan duration) =>
        Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
