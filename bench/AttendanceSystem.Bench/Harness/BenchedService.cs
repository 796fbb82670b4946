using System.Diagnostics;
using System.Globalization;

namespace AttendanceSystem.Bench.Harness;

/// <summary>
/// One service as the real process it is in production (<c>dotnet Service.dll</c>, Release build),
/// its output written to a log file. Knows how long it took to become ready and how much memory it holds.
/// </summary>
public sealed class BenchedService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly long _startedAt;

    private BenchedService(string name, int port, Process process, StreamWriter log, long startedAt)
    {
        Name = name;
        Port = port;
        _process = process;
        _log = log;
        _startedAt = startedAt;
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Never leave a service behind, whatever stopped the harness.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public string Name { get; }

    /// <summary>The HTTP port whose /health/ready says when it is up.</summary>
    public int Port { get; }

    /// <summary>From the process's start to the first 200 of /health/ready.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>Starts <c>{folder}/bin/{configuration}/net10.0/{assembly}.dll</c>, logging to <c>{name}.log</c>.</summary>
    public static BenchedService Start(string repositoryRoot, string folder, string assembly, string name, int port, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        var directory = Path.Combine(repositoryRoot, folder, "bin", BenchSettings.BuildConfiguration, "net10.0");
        var dll = Path.Combine(directory, assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the solution first (scripts/bench.sh does, in Release).");
        }

        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(logDirectory, name.ToLowerInvariant() + ".log")) { AutoFlush = false };
        var startedAt = Stopwatch.GetTimestamp();
        return new BenchedService(name, port, Process.Start(start)!, log, startedAt);
    }

    /// <summary>Polls /health/ready every 10 ms until it answers 200.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}; see its log.");
            }

            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{Port}/health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    StartToReady = Stopwatch.GetElapsedTime(_startedAt);
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException($"{Name} was not ready within a minute; see its log.");
    }

    /// <summary>CPU time (user + system) the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Resident memory now, from /proc (what the kernel charges the process for).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"No VmRSS for {Name}.");
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
