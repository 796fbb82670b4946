using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AttendanceSystem.Bench.Load;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Bench.Harness;

/// <summary>
/// The system under test: a database of the bench's own on the given server, migrated by the real
/// migrator, seeded with employees and admins, and the three services as Release processes on loopback.
/// </summary>
public sealed class BenchSystem : IAsyncDisposable
{
    public const string Password = "bench-password-1";

    private readonly BenchSettings _settings;
    private readonly string _serverConnectionString;
    private readonly string _databaseName;
    private readonly Dictionary<string, string> _environment;
    private readonly JwtTokenIssuer _issuer;
    private readonly List<BenchedService> _services = [];

    private BenchSystem(BenchSettings settings, string databaseName)
    {
        _settings = settings;
        _serverConnectionString = settings.ServerConnectionString;
        _databaseName = databaseName;
        ConnectionString = new NpgsqlConnectionStringBuilder(settings.ServerConnectionString) { Database = databaseName }.ConnectionString;
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        _issuer = new JwtTokenIssuer(Options.Create(new JwtOptions { Secret = secret }), TimeProvider.System);
        LogDirectory = Directory.CreateTempSubdirectory("attendance-bench-").FullName;
        _environment = new Dictionary<string, string>
        {
            ["DATABASE_CONNECTION_STRING"] = ConnectionString,
            ["JWT_SECRET"] = secret,
            ["ACCESS_TOKEN_MINUTES"] = "180",
            ["BCRYPT_WORK_FACTOR"] = settings.Scale.BcryptWorkFactor.ToString(CultureInfo.InvariantCulture),
            // The migrator has run, as in docker-compose.yml: services start without a migration check.
            ["DATABASE_MIGRATE_ON_STARTUP"] = "false",
        };
    }

    /// <summary>Connection string of the bench's own database.</summary>
    public string ConnectionString { get; }

    /// <summary>Where each service's log is written.</summary>
    public string LogDirectory { get; }

    public int AuthPort { get; } = FreePort();

    public int RestPort { get; } = FreePort();

    public int GrpcPort { get; } = FreePort();

    public int ReporterPort { get; } = FreePort();

    public BenchedService Reporter => _services.Single(s => s.Name == "Reporter");

    public BenchedService Attendance => _services.Single(s => s.Name == "Attendance");

    public IReadOnlyList<BenchedService> Services => _services;

    /// <summary>Seeded employees (role employee), ids in ascending order.</summary>
    public IReadOnlyList<int> Employees { get; private set; } = [];

    /// <summary>Seeded admins, ids in ascending order.</summary>
    public IReadOnlyList<int> Admins { get; private set; } = [];

    /// <summary>An employee kept for history: the 1,000,000-record table gives them the gRPC List's share.</summary>
    public int Historian { get; private set; }

    public Uri RestUri => new($"http://127.0.0.1:{RestPort}");

    public Uri AuthUri => new($"http://127.0.0.1:{AuthPort}");

    public Uri GrpcUri => new($"http://127.0.0.1:{GrpcPort}");

    public Uri SocketUri => new($"ws://127.0.0.1:{ReporterPort}/ws");

    public static async Task<BenchSystem> CreateAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var name = "bench_" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        await using (var server = new NpgsqlConnection(settings.ServerConnectionString))
        {
            await server.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var system = new BenchSystem(settings, name);
        await system.MigrateAsync(cancellationToken);
        await system.SeedAsync(cancellationToken);
        return system;
    }

    /// <summary>The token auth would issue to this person (same secret, issuer, audience and lifetime).</summary>
    public string TokenFor(int employeeId, bool admin = false) =>
        _issuer.Issue(employeeId, (admin ? "benchadmin" : "bench") + employeeId.ToString(CultureInfo.InvariantCulture),
            admin ? Roles.Admin : Roles.Employee, TimeSpan.FromHours(3)).Token;

    public static string UsernameOf(int index) => "bench" + index.ToString(CultureInfo.InvariantCulture);

    public NpgsqlConnection OpenDatabase() => new(ConnectionString);

    /// <summary>Starts auth, attendance and the reporter one after another, each waited for, so each start is timed alone.</summary>
    public async Task StartServicesAsync(CancellationToken cancellationToken)
    {
        await StartAsync("Auth", AuthPort, new() { ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{AuthPort}" }, cancellationToken);
        await StartAsync("Attendance", RestPort, new()
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{RestPort}",
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{GrpcPort}",
        }, cancellationToken);
        await StartAsync("Reporter", ReporterPort, new()
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{ReporterPort}",
            ["ATTENDANCE_GRPC_URL"] = $"http://127.0.0.1:{GrpcPort}",
        }, cancellationToken);
    }

    /// <summary>
    /// One more process of <paramref name="project"/> (Auth, Attendance or Reporter) on ports of its
    /// own, with <paramref name="runtimeSettings"/> added to its environment (DOTNET_gcServer=0, say),
    /// started and ready; the caller stops it. A reporter follows the running attendance.
    /// </summary>
    public async Task<BenchedService> StartVariantAsync(string project, IReadOnlyDictionary<string, string> runtimeSettings, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var settings = new Dictionary<string, string>(_environment) { ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}" };
        if (project == "Attendance")
        {
            settings["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{FreePort()}";
        }
        else if (project == "Reporter")
        {
            settings["ATTENDANCE_GRPC_URL"] = $"http://127.0.0.1:{GrpcPort}";
        }

        foreach (var (key, value) in runtimeSettings)
        {
            settings[key] = value;
        }

        var variant = BenchedService.Start(_settings.RepositoryRoot, Path.Combine("src", project), "AttendanceSystem." + project,
            project + "-variant", port, settings, LogDirectory);
        await variant.WaitUntilReadyAsync(cancellationToken);
        return variant;
    }

    /// <summary>The framework's floor (bench/AttendanceSystem.Bench.EmptyService), started and ready; the caller stops it.</summary>
    public async Task<BenchedService> StartFloorAsync(CancellationToken cancellationToken)
    {
        var port = FreePort();
        var floor = BenchedService.Start(_settings.RepositoryRoot, Path.Combine("bench", "AttendanceSystem.Bench.EmptyService"),
            "AttendanceSystem.Bench.EmptyService", "EmptyService", port,
            new Dictionary<string, string> { ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}" }, LogDirectory);
        await floor.WaitUntilReadyAsync(cancellationToken);
        return floor;
    }

    private async Task StartAsync(string project, int port, Dictionary<string, string> own, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in _environment)
        {
            own[key] = value;
        }

        var service = BenchedService.Start(_settings.RepositoryRoot, Path.Combine("src", project), "AttendanceSystem." + project, project, port, own, LogDirectory);
        _services.Add(service);
        await service.WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>The real migrator (src/Migrator), as docker compose runs it before the services.</summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_settings.RepositoryRoot, "src", "Migrator", "bin", BenchSettings.BuildConfiguration, "net10.0");
        await Tool.RunAsync("dotnet", [Path.Combine(directory, "AttendanceSystem.Migrator.dll")], cancellationToken,
            new Dictionary<string, string>
            {
                ["DATABASE_CONNECTION_STRING"] = ConnectionString,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
            workingDirectory: directory);
    }

    /// <summary>Employees, admins and one historian, all with the same password (hashed once, at auth's default work factor).</summary>
    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var scale = _settings.Scale;
        var hash = BCrypt.Net.BCrypt.EnhancedHashPassword(Password, scale.BcryptWorkFactor, BCrypt.Net.HashType.SHA384);
        await using var connection = OpenDatabase();
        await connection.OpenAsync(cancellationToken);
        async Task<List<int>> InsertAsync(string prefix, string role, int count)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO employees (username, password_hash, role)
                SELECT $1 || g, $2, $3 FROM generate_series(1, $4) g ORDER BY g
                RETURNING id
                """, connection)
            {
                Parameters = { new() { Value = prefix }, new() { Value = hash }, new() { Value = role }, new() { Value = count } },
            };
            var ids = new List<int>(count);
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt32(0));
            }

            ids.Sort();
            return ids;
        }

        Employees = await InsertAsync("bench", Roles.Employee, scale.Employees);
        Admins = await InsertAsync("benchadmin", Roles.Admin, scale.Admins);
        Historian = (await InsertAsync("benchhistorian", Roles.Employee, 1))[0];
    }

    /// <summary>Each employee's next punch ("in" unless their last was "in"), so every client starts in step with the rules.</summary>
    public async Task<Dictionary<int, string>> NextActionsAsync(IEnumerable<int> employeeIds, CancellationToken cancellationToken)
    {
        await using var connection = OpenDatabase();
        await connection.OpenAsync(cancellationToken);
        await using var query = new NpgsqlCommand("SELECT id, last_action FROM employees WHERE id = ANY($1)", connection)
        {
            Parameters = { new() { Value = employeeIds.ToArray() } },
        };
        var next = new Dictionary<int, string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            next[reader.GetInt32(0)] = !reader.IsDBNull(1) && reader.GetString(1) == "in" ? "out" : "in";
        }

        return next;
    }

    /// <summary>
    /// Waits (at most 60 s) until the database is quiet: no statement of this database running and no
    /// new record for a second. Requests a load generator walked away from may still be queued for a
    /// connection, so one quiet reading is not enough.
    /// </summary>
    public async Task WaitUntilQuietAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenDatabase();
        await connection.OpenAsync(cancellationToken);
        await using var probe = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM attendance_records),
                   (SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query NOT LIKE 'LISTEN%')
            """, connection);
        var last = -1L;
        var quietReadings = 0;
        for (var i = 0; i < 240 && quietReadings < 4; i++)
        {
            await Task.Delay(250, cancellationToken);
            await using var reader = await probe.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (count, active) = (reader.GetInt64(0), reader.GetInt64(1));
            quietReadings = count == last && active == 0 ? quietReadings + 1 : 0;
            last = count;
        }
    }

    public async Task<long> CountRecordsAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenDatabase();
        await connection.OpenAsync(cancellationToken);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM attendance_records", connection);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A port below Linux's ephemeral range, so no outgoing connection can take it before a service binds it.</summary>
    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(_serverConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
