using System.Collections.Concurrent;
using System.Diagnostics;

namespace AttendanceSystem.Testing;

/// <summary>
/// A service as a real process (its own build output, run with <c>dotnet</c>), for tests that kill,
/// stop and restart it. Everything it prints is kept, so tests can read its log.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServiceProcess(Process process, string name, int port)
    {
        _process = process;
        Name = name;
        Port = port;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Never leave a service running after the test process, whatever failed.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    private void Stop()
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

    public string Name { get; }

    /// <summary>The port whose /health/ready says when it is up.</summary>
    public int Port { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <c>src/{project}/bin/{configuration}/net10.0/{assembly}.dll</c> with these settings.</summary>
    public static ServiceProcess Start(string project, string assembly, int port, IDictionary<string, string?> settings)
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var directory = Path.Combine(RepositoryRoot.Path, "src", project, "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, assembly + ".dll")])
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

        return new ServiceProcess(Process.Start(start)!, project, port);
    }

    /// <summary>Waits until /health/ready answers 200; fails with the process's output if it stops or takes too long.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{Port}/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} was not ready in time:\n{Output}");
    }

    /// <summary><c>kill -9</c>: no goodbye.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; returns the exit code and how long it took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> TerminateAsync(TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return (_process.ExitCode, started.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillHardAsync();
        }

        _process.Dispose();
    }
}

/// <summary>A PostgreSQL cluster of one test's own (scripts/pg.sh), for tests that stop the database.</summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int _port;

    private PrivateCluster(string directory, int port, string connectionString)
    {
        _directory = directory;
        _port = port;
        ConnectionString = connectionString;
    }

    /// <summary>Connection string of its "attendance" database.</summary>
    public string ConnectionString { get; }

    public static Task<PrivateCluster> StartAsync() => StartAsync([]);

    /// <summary>A streaming hot standby of this running cluster (pg_basebackup -R), started: read-only, a moment behind.</summary>
    public Task<PrivateCluster> StartStandbyAsync() => StartAsync(["--standby-of=" + _directory]);

    private static async Task<PrivateCluster> StartAsync(string[] options)
    {
        var directory = Path.Combine(Path.GetTempPath(), "attendance-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var port = LoopbackPort.Free();
        var output = await PgAsync(["start", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fast", .. options]);
        return new PrivateCluster(directory, port, output.Trim().Split('\n')[^1]);
    }

    public Task StopAsync() => PgAsync("stop", _directory);

    /// <summary>Starts it again on the same port.</summary>
    public Task StartAgainAsync() => PgAsync("start", _directory, _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fast");

    public async ValueTask DisposeAsync() => await PgAsync("remove", _directory);

    private static Task<string> PgAsync(params string[] args) =>
        Shell.RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "pg.sh"), .. args]);
}
