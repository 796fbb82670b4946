using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace AttendanceSystem.Testing;

public static class LoopbackPort
{
    // Below Linux's ephemeral range (32768+), so an outgoing connection cannot take a port between
    // the moment it is picked here and the moment a server binds it. Each test process starts at a
    // random place and walks on, so parallel test processes rarely meet.
    private const int First = 20000;
    private const int Last = 32000;
    private static int _next = First + Random.Shared.Next(Last - First);

    /// <summary>A loopback port free right now, outside the range the OS hands to outgoing connections.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % (Last - First));
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no free port between {First} and {Last}");
    }
}

/// <summary>
/// One service under test: its real Program on real Kestrel (a free loopback port), against its own
/// fresh database on the shared PostgreSQL. Create one per test class (xunit class fixture).
/// </summary>
public abstract class ServiceApp<TEntryPoint> : WebApplicationFactory<TEntryPoint>, IAsyncLifetime
    where TEntryPoint : class
{
    public const string JwtSecret = "test-only-secret-0123456789abcdef-0123456789abcdef";
    public const string JwtIssuer = "attendance-system";
    public const string JwtAudience = "attendance-system";

    private TestDatabase? _database;
    private readonly bool _ownsDatabase;

    /// <param name="database">A database to share with other instances (replicas); by default each app creates its own.</param>
    protected ServiceApp(TestDatabase? database = null)
    {
        _database = database;
        _ownsDatabase = database is null;
    }

    public TestDatabase Database => _database ?? throw new InvalidOperationException("not started");

    /// <summary>The address the real server listens on.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected abstract string DatabasePrefix { get; }

    /// <summary>Settings as a deployment would give them (flat keys, as in .env).</summary>
    protected virtual IDictionary<string, string?> Settings(string connectionString) => new Dictionary<string, string?>
    {
        ["DATABASE_CONNECTION_STRING"] = connectionString,
        ["JWT_SECRET"] = JwtSecret,
        ["JWT_ISSUER"] = JwtIssuer,
        ["JWT_AUDIENCE"] = JwtAudience,
    };

    public async Task InitializeAsync()
    {
        _database ??= await PostgresServer.CreateDatabaseAsync(DatabasePrefix);
        UseKestrel(); // listen where ConfigureEndpoints says
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        ConfigureEndpoints(builder);
        foreach (var (key, value) in Settings(Database.ConnectionString))
        {
            builder.UseSetting(key, value);
        }
    }

    public new virtual HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Where Kestrel listens; by default one HTTP endpoint on a free loopback port.</summary>
    protected virtual void ConfigureEndpoints(IWebHostBuilder builder) =>
        builder.UseSetting("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:0");

    /// <summary>A loopback port free right now, for services that need to know their ports up front.</summary>
    public static int FreePort() => LoopbackPort.Free();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase && _database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
