using System.Collections.Concurrent;
using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

/// <summary>An auth service with the shipped limits: an office behind one address, one of them guessing.</summary>
public sealed class OfficeAuthApp : AuthApp
{
    public const int BusyAfter = 50;
    public const int PerUsername = 5;
    public const int FromBusyAddress = 2;

    protected override void Adjust(IDictionary<string, string?> settings)
    {
        settings["LOGIN_MAX_FAILURES_PER_ADDRESS"] = BusyAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["LOGIN_MAX_FAILURES_PER_USERNAME"] = PerUsername.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["LOGIN_MAX_FAILURES_FROM_BUSY_ADDRESS"] = FromBusyAddress.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Longer than the test: a locked account stays locked while it runs.
        settings["LOGIN_LOCKOUT_SECONDS"] = "600";
    }
}

public sealed class AddressThrottleTests(OfficeAuthApp app) : IClassFixture<OfficeAuthApp>
{
    private const int Colleagues = 300;
    private const int Targets = 20;
    private const int Guesses = 1000;

    [Fact]
    public async Task One_guesser_behind_an_office_address_does_not_lock_out_the_office()
    {
        await app.ResetAsync();
        // Everyone shares one hash of one password: 300 people without 300 BCrypt runs.
        var hash = BCrypt.Net.BCrypt.EnhancedHashPassword("correct-horse", AuthApp.WorkFactor, BCrypt.Net.HashType.SHA384);
        await app.Database.ScalarAsync<object>("""
            INSERT INTO employees (username, password_hash, role)
            SELECT 'colleague' || n, $1, 'employee' FROM generate_series(1, $2) n
            UNION ALL SELECT 'target' || n, $1, 'employee' FROM generate_series(1, $3) n
            """, hash, Colleagues, Targets);
        using var client = app.CreateClient();

        // The guesser works through the targets one after another while the colleagues sign in, all from 127.0.0.1.
        var answers = new ConcurrentBag<(int Target, HttpStatusCode Status, bool RetryAfter, string? Type)>();
        var guessing = Task.Run(async () =>
        {
            for (var i = 0; i < Guesses; i++)
            {
                var target = i / (Guesses / Targets);
                using var response = await client.PostJsonAsync("/login", new { username = $"target{target + 1}", password = $"guess-{i}" });
                var type = response.StatusCode == HttpStatusCode.TooManyRequests ? (await response.JsonAsync()).GetProperty("type").GetString() : null;
                answers.Add((target, response.StatusCode, response.Headers.RetryAfter is not null, type));
            }
        });
        var signIns = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(1, Colleagues), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, _) =>
        {
            using var response = await client.PostJsonAsync("/login", new { username = $"colleague{n}", password = "correct-horse" });
            signIns.Add(response.StatusCode);
        });
        await guessing;

        Assert.All(signIns, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(Colleagues, signIns.Count);
        Assert.All(answers, answer => Assert.True(answer.Status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, answer.Status.ToString()));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.TooManyRequests), a => Assert.True(a.RetryAfter && a.Type is not null));

        // Passwords actually tried (401s): a few per account, fewer still once the address was busy guessing.
        var tried = answers.Where(a => a.Status == HttpStatusCode.Unauthorized).GroupBy(a => a.Target).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(tried, pair => Assert.InRange(pair.Value, 1, OfficeAuthApp.PerUsername));
        var busyFrom = OfficeAuthApp.BusyAfter / OfficeAuthApp.PerUsername;
        Assert.All(tried.Where(pair => pair.Key >= busyFrom), pair => Assert.InRange(pair.Value, 1, OfficeAuthApp.FromBusyAddress));
        Assert.True(tried.Values.Sum() <= OfficeAuthApp.BusyAfter + (Targets - busyFrom) * OfficeAuthApp.FromBusyAddress,
            $"{tried.Values.Sum()} passwords were tried");

        // The guessed accounts are locked for everyone (that is the point), with an audit row each.
        using var locked = await client.PostJsonAsync("/login", new { username = "target1", password = "correct-horse" });
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal((long)Targets, await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'login.locked_out'"));
    }
}

/// <summary>Two auth replicas on one database, and a restart: the counts live in PostgreSQL.</summary>
public sealed class SharedThrottleTests(AuthApp app) : IClassFixture<AuthApp>
{
    [Fact]
    public async Task Failures_on_one_replica_lock_the_username_on_the_other_and_survive_a_restart()
    {
        await app.ResetAsync();
        using var first = app.CreateClient();
        for (var i = 0; i < AuthApp.MaxFailuresPerUsername; i++)
        {
            using var failed = await first.PostJsonAsync("/login", new { username = AuthApp.AdminUsername, password = "wrong-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        await using (var replica = AuthApp.SharingDatabase(app.Database))
        {
            await ((Xunit.IAsyncLifetime)replica).InitializeAsync();
            using var second = replica.CreateClient();
            using var refused = await second.PostJsonAsync("/login", new { username = AuthApp.AdminUsername, password = AuthApp.AdminPassword });
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // A replica started afresh (a restart) still knows.
        await using var restarted = AuthApp.SharingDatabase(app.Database);
        await ((Xunit.IAsyncLifetime)restarted).InitializeAsync();
        using var third = restarted.CreateClient();
        using var stillLocked = await third.PostJsonAsync("/login", new { username = AuthApp.AdminUsername.ToUpperInvariant(), password = AuthApp.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
        Assert.Contains("try again in", await stillLocked.AssertProblemAsync(HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
    }
}

/// <summary>An auth service behind a proxy on this machine (as scripts/run.sh runs it).</summary>
public sealed class BehindProxyAuthApp : AuthApp
{
    protected override void Adjust(IDictionary<string, string?> settings) => settings["KNOWN_PROXIES"] = "127.0.0.1";
}

/// <summary>X-Forwarded-For counts only from a configured proxy; from anyone else it is ignored.</summary>
public sealed class ForwardedForTests(AuthApp direct, BehindProxyAuthApp proxied) : IClassFixture<AuthApp>, IClassFixture<BehindProxyAuthApp>
{
    [Fact]
    public async Task A_spoofed_forwarded_address_is_ignored_unless_it_comes_from_a_known_proxy()
    {
        foreach (var (app, counted) in new (AuthApp, string)[] { (direct, "addr:127.0.0.1"), (proxied, "addr:10.9.8.7") })
        {
            await app.ResetAsync();
            using var client = app.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { username = "nobody", password = "wrong-password" }),
            };
            request.Headers.Add("X-Forwarded-For", "10.9.8.7");
            using var failed = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);

            var keys = await app.Database.ScalarAsync<string>("SELECT string_agg(key, ',' ORDER BY key) FROM login_throttles WHERE key LIKE 'addr:%'");
            Assert.Equal(counted, keys);
        }
    }
}
