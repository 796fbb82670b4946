namespace AttendanceSystem.Bench;

/// <summary>How big each scenario is. The full scale is the one the targets are stated for; smoke only proves the harness works.</summary>
public sealed record BenchScale
{
    public required TimeSpan PunchRun { get; init; }
    public required TimeSpan Warmup { get; init; }
    public required int PunchRounds { get; init; }
    public required int PunchClients { get; init; }
    public required int OverloadClients { get; init; }
    public required int LiveSockets { get; init; }
    public required int LiveAdmins { get; init; }
    public required int LivePunchesPerSecond { get; init; }
    public required TimeSpan LiveRun { get; init; }
    public required int FanOutSockets { get; init; }
    public required int FanOutPunchesPerSecond { get; init; }
    public required int IdleSockets { get; init; }
    public required TimeSpan LoginRun { get; init; }

    /// <summary>
    /// Logins come a few per second, so the request path takes long to reach its final (tier-1) code;
    /// until then the JIT takes a tenth of the CPU. Measured after it has settled.
    /// </summary>
    public required TimeSpan LoginWarmup { get; init; }
    public required int HistoryRecords { get; init; }
    public required int ListRecords { get; init; }

    /// <summary>Scheduled people in the monthly report scenario (each with a month of workdays).</summary>
    public required int ReportPeople { get; init; }
    public required TimeSpan IdleSettle { get; init; }

    /// <summary>
    /// BCrypt cost, given to auth and used for the seeded hashes and the login baseline alike. Full
    /// scale uses auth's default (12); smoke the lowest auth accepts (11, half the work), so a loaded CI
    /// machine still completes logins in its short run.
    /// </summary>
    public required int BcryptWorkFactor { get; init; }

    /// <summary>Employees and admins seeded: enough for the biggest scenario that needs distinct people.</summary>
    public int Employees => Math.Max(OverloadClients, LiveSockets);

    public int Admins => Math.Max(FanOutSockets, LiveAdmins);

    public static BenchScale Full { get; } = new()
    {
        PunchRun = TimeSpan.FromSeconds(10),
        Warmup = TimeSpan.FromSeconds(3),
        PunchRounds = 2,
        PunchClients = 64,
        OverloadClients = 256,
        LiveSockets = 1000,
        LiveAdmins = 10,
        LivePunchesPerSecond = 200,
        LiveRun = TimeSpan.FromSeconds(15),
        FanOutSockets = 1000,
        FanOutPunchesPerSecond = 20,
        IdleSockets = 10_000,
        LoginRun = TimeSpan.FromSeconds(10),
        LoginWarmup = TimeSpan.FromSeconds(30),
        HistoryRecords = 1_000_000,
        ListRecords = 100_000,
        ReportPeople = 1000,
        IdleSettle = TimeSpan.FromSeconds(5),
        BcryptWorkFactor = 12,
    };

    public static BenchScale Smoke { get; } = new()
    {
        PunchRun = TimeSpan.FromSeconds(2),
        Warmup = TimeSpan.FromSeconds(1),
        PunchRounds = 1,
        PunchClients = 8,
        OverloadClients = 32,
        LiveSockets = 40,
        LiveAdmins = 3,
        LivePunchesPerSecond = 20,
        LiveRun = TimeSpan.FromSeconds(2),
        FanOutSockets = 30,
        FanOutPunchesPerSecond = 10,
        IdleSockets = 200,
        LoginRun = TimeSpan.FromSeconds(3),
        LoginWarmup = TimeSpan.FromSeconds(1),
        HistoryRecords = 20_000,
        ListRecords = 2_000,
        ReportPeople = 40,
        IdleSettle = TimeSpan.FromSeconds(1),
        BcryptWorkFactor = 11,
    };
}

/// <summary>What the command line asked for.</summary>
public sealed record BenchSettings(
    bool Smoke,
    string ServerConnectionString,
    string RepositoryRoot,
    string OutputDirectory,
    string? Readme,
    IReadOnlySet<string>? Only)
{
    public BenchScale Scale => Smoke ? BenchScale.Smoke : BenchScale.Full;

    /// <summary>The services are run from the build of the harness's own configuration (Release from scripts/bench.sh).</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The whole run stops by itself after this long, whatever hangs.</summary>
    public TimeSpan TimeLimit => Smoke ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(25);

    public const string Usage = """
        usage: AttendanceSystem.Bench --database <connection string> [--smoke] [--out <dir>] [--readme <README.md>]

          --database  a PostgreSQL connection string allowed to create databases (or BENCH_DATABASE_CONNECTION_STRING)
          --smoke     tiny numbers, well under a minute: proves the harness works; no timing targets judged
          --out       where <date>.md, .json and .svg go (default: bench/results)
          --readme    replace the figures between the bench markers of this README with the new ones
          --only      comma-separated scenario names (e.g. "idle sockets,live"), for profiling one thing
        """;

    public static BenchSettings? Parse(string[] args)
    {
        string? database = Environment.GetEnvironmentVariable("BENCH_DATABASE_CONNECTION_STRING");
        string? output = null, readme = null;
        HashSet<string>? only = null;
        var smoke = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--smoke": smoke = true; break;
                case "--database" when i + 1 < args.Length: database = args[++i]; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--readme" when i + 1 < args.Length: readme = args[++i]; break;
                case "--only" when i + 1 < args.Length: only = [.. args[++i].Split(',', StringSplitOptions.TrimEntries)]; break;
                default: return null;
            }
        }

        if (string.IsNullOrWhiteSpace(database))
        {
            return null;
        }

        var root = FindRepositoryRoot();
        return new BenchSettings(smoke, database, root, Path.GetFullPath(output ?? Path.Combine(root, "bench", "results")), readme, only);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AttendanceSystem.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the harness from its build output inside the repository.");
    }
}
