extern alias attendance;
extern alias auth;
extern alias client;
extern alias reporter;

using AttendanceSystem.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace AttendanceSystem.EndToEnd.Tests;

/// <summary>
/// Every part of the system on loopback — auth, attendance, reporter and the page's host — on one
/// PostgreSQL database, and Debian's chromium driven by Playwright.
/// </summary>
public sealed class WholeSystem : IAsyncLifetime
{
    public const string AdminUsername = "boss";
    public const string AdminPassword = "boss-password-123";

    private readonly int _authPort = ServiceApp<auth::Program>.FreePort();
    private readonly int _restPort = ServiceApp<auth::Program>.FreePort();
    private readonly int _grpcPort = ServiceApp<auth::Program>.FreePort();
    private readonly int _reporterPort = ServiceApp<auth::Program>.FreePort();
    private readonly int _clientPort = ServiceApp<auth::Program>.FreePort();
    private readonly List<IAsyncDisposable> _hosts = [];

    public TestDatabase Database { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright Playwright { get; set; } = null!;

    public string PageUrl => $"http://127.0.0.1:{_clientPort}/index.html";

    public string ClientOrigin => $"http://127.0.0.1:{_clientPort}";

    public string AttendanceUrl => $"http://127.0.0.1:{_restPort}";

    public string AuthUrl => $"http://127.0.0.1:{_authPort}";

    /// <summary>Where screenshots go: TestResults/screenshots at the repository root.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        Database = await PostgresServer.CreateDatabaseAsync("e2e");
        var shared = new Dictionary<string, string?>
        {
            ["CORS_ORIGINS"] = ClientOrigin,
            // As scripts/run.sh: the page's proxy on this machine says who the caller is.
            ["KNOWN_PROXIES"] = "127.0.0.1",
        };
        await StartAsync(new Host<auth::Program>(Database, [("Http", _authPort)], new(shared)
        {
            ["ADMIN_USERNAME"] = AdminUsername, ["ADMIN_PASSWORD"] = AdminPassword, ["BCRYPT_WORK_FACTOR"] = "11",
        }));
        await StartAsync(new Host<attendance::Program>(Database, [("Http", _restPort), ("Grpc", _grpcPort)], shared));
        _reporterSettings = new(shared) { ["ATTENDANCE_GRPC_URL"] = $"http://127.0.0.1:{_grpcPort}" };
        await StartReporterAsync();
        _hosts.Add(StartPageHost(_clientPort, Path.Combine(RepositoryRoot.Path, "client")));

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>The page's host on a port, serving the page from a folder; its proxy forwards to the services.</summary>
    private ClientHost StartPageHost(int port, string webRoot)
    {
        var page = new ClientHost(port, new()
        {
            [WebHostDefaults.WebRootKey] = webRoot,
            ["PROXY_AUTH_URL"] = $"http://127.0.0.1:{_authPort}",
            ["PROXY_ATTENDANCE_URL"] = $"http://127.0.0.1:{_restPort}",
            ["PROXY_REPORTER_URL"] = $"http://127.0.0.1:{_reporterPort}",
        });
        page.UseKestrel();
        page.StartServer();
        return page;
    }

    /// <summary>A second page host serving <paramref name="webRoot"/> (a copy of client/ a test may change), at its origin.</summary>
    public (string Origin, IAsyncDisposable Host) StartPageHost(string webRoot)
    {
        var port = ServiceApp<auth::Program>.FreePort();
        return ($"http://127.0.0.1:{port}", StartPageHost(port, webRoot));
    }

    private async Task StartAsync<T>(Host<T> host) where T : class
    {
        await ((IAsyncLifetime)host).InitializeAsync();
        _hosts.Add(host);
    }

    private Dictionary<string, string?> _reporterSettings = [];
    private IAsyncDisposable? _reporter;

    /// <summary>Starts the reporter on its port (again, after <see cref="StopReporterAsync"/>).</summary>
    public async Task StartReporterAsync()
    {
        var reporter = new Host<reporter::Program>(Database, [("Http", _reporterPort)], _reporterSettings);
        await ((IAsyncLifetime)reporter).InitializeAsync();
        _reporter = reporter;
    }

    /// <summary>Stops the reporter, as an outage would.</summary>
    public async Task StopReporterAsync()
    {
        if (_reporter is not null)
        {
            await _reporter.DisposeAsync();
            _reporter = null;
        }
    }

    /// <summary>A fresh browser context (its own sessionStorage), at the page.</summary>
    public async Task<IPage> OpenPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(PageUrl);
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await StopReporterAsync();
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    /// <summary>A service on fixed loopback ports, sharing the one database.</summary>
    private sealed class Host<T>(TestDatabase database, (string Name, int Port)[] endpoints, Dictionary<string, string?> settings)
        : ServiceApp<T>(database) where T : class
    {
        protected override string DatabasePrefix => "e2e";

        protected override void ConfigureEndpoints(IWebHostBuilder builder)
        {
            foreach (var (name, port) in endpoints)
            {
                builder.UseSetting($"Kestrel:Endpoints:{name}:Url", $"http://127.0.0.1:{port}");
            }
        }

        protected override IDictionary<string, string?> Settings(string connectionString)
        {
            var all = base.Settings(connectionString);
            foreach (var (key, value) in settings)
            {
                all[key] = value;
            }

            return all;
        }
    }

    /// <summary>The page's static host, serving client/ straight from the repository (or a copy).</summary>
    private sealed class ClientHost(int port, Dictionary<string, string?> settings) : WebApplicationFactory<client::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Kestrel:Endpoints:Http:Url", $"http://127.0.0.1:{port}");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
