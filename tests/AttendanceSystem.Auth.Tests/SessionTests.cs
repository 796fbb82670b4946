using System.Net;
using System.Text.Json;
using AttendanceSystem.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AttendanceSystem.Auth.Tests;

/// <summary>Refresh tokens: rotation, reuse detection, logout, and what ends a session — as a client sees it.</summary>
public sealed class SessionTests(AuthApp app) : AuthTestBase(app)
{
    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Login_sets_an_httponly_strict_cookie_and_refresh_rotates_the_token()
    {
        await RegisterAsync("emp2");
        using var login = await LoginAsync("emp2", "correct-horse");
        var first = await login.JsonAsync();
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), value => value.StartsWith("refresh_token=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);

        using var refreshed = await Client.PostJsonAsync("/token/refresh", new { refresh_token = first.GetProperty("refresh_token").GetString() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = await refreshed.JsonAsync();

        Assert.NotEqual(first.GetProperty("refresh_token").GetString(), second.GetProperty("refresh_token").GetString());
        Assert.Equal("employee", second.GetProperty("role").GetString());
        var (a, b) = (new JsonWebToken(first.GetProperty("token").GetString()), new JsonWebToken(second.GetProperty("token").GetString()));
        Assert.Equal(a.GetPayloadValue<string>("sid"), b.GetPayloadValue<string>("sid"));
        using var works = await SendAsync(HttpMethod.Get, "/employees", second.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
    }

    [Fact]
    public async Task The_cookie_alone_refreshes_and_logs_out()
    {
        using var cookies = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = App.BaseAddress };
        using (var login = await cookies.PostJsonAsync("/login", new { username = AuthApp.AdminUsername, password = AuthApp.AdminPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using (var refreshed = await cookies.PostAsync("/token/refresh", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        using (var logout = await cookies.PostAsync("/logout", content: null))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var after = await cookies.PostAsync("/token/refresh", content: null);
        Assert.Contains("refresh token is required", await AssertProblemAsync(after, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reused_refresh_token_ends_the_whole_session()
    {
        await RegisterAsync("emp2");
        var (access, refresh) = await SignInAsync("emp2");
        var (rotatedAccess, rotated) = await RefreshAsync(refresh);

        using var reuse = await Client.PostJsonAsync("/token/refresh", new { refresh_token = refresh });
        Assert.Contains("already used", await AssertProblemAsync(reuse, HttpStatusCode.Unauthorized), StringComparison.Ordinal);

        using var thief = await Client.PostJsonAsync("/token/refresh", new { refresh_token = rotated });
        Assert.Contains("refresh token reused", await AssertProblemAsync(thief, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        await AssertRevokedAsync(rotatedAccess, "refresh token reused");
        await AssertRevokedAsync(access, "refresh token reused");
    }

    [Fact]
    public async Task Logout_ends_the_session_and_a_second_logout_is_refused()
    {
        await RegisterAsync("emp2");
        var (access, refresh) = await SignInAsync("emp2");
        var (otherAccess, _) = await SignInAsync("emp2");

        using (var logout = await SendAsync(HttpMethod.Post, "/logout", access))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await AssertRevokedAsync(access, "logged out");
        using (var again = await SendAsync(HttpMethod.Post, "/logout", access))
        {
            Assert.Contains("revoked", await AssertProblemAsync(again, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        }

        using (var byRefresh = await Client.PostJsonAsync("/logout", new { refresh_token = refresh }))
        {
            Assert.Contains("already ended", await AssertProblemAsync(byRefresh, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        }

        using (var refreshAfter = await Client.PostJsonAsync("/token/refresh", new { refresh_token = refresh }))
        {
            Assert.Contains("logged out", await AssertProblemAsync(refreshAfter, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        }

        // The person's other sign-in is untouched.
        using var other = await SendAsync(HttpMethod.Get, "/employees", otherAccess);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_every_session()
    {
        await RegisterAsync("emp2");
        var (access, refresh) = await SignInAsync("emp2");
        var (elsewhere, elsewhereRefresh) = await SignInAsync("emp2");

        using (var change = await SendAsync(HttpMethod.Post, "/me/password", access, new { current_password = "correct-horse", new_password = "battery-staple" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        }

        await AssertRevokedAsync(access, "password changed");
        await AssertRevokedAsync(elsewhere, "password changed");
        foreach (var token in new[] { refresh, elsewhereRefresh })
        {
            using var refused = await Client.PostJsonAsync("/token/refresh", new { refresh_token = token });
            Assert.Contains("password changed", await AssertProblemAsync(refused, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        }

        using var fresh = await LoginAsync("emp2", "battery-staple");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task A_role_change_revokes_access_tokens_and_the_next_refresh_carries_the_new_role()
    {
        var (id, _) = await RegisterAsync("emp2");
        var (access, refresh) = await SignInAsync("emp2");

        using (var promote = await SendAsync(HttpMethod.Put, $"/employees/{id}/role", await AdminTokenAsync(), new { role = "manager" }))
        {
            Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        }

        await AssertRevokedAsync(access, "role changed");
        var (renewed, _) = await RefreshAsync(refresh);
        Assert.Equal("manager", new JsonWebToken(renewed).GetPayloadValue<string>("role"));
        using var works = await SendAsync(HttpMethod.Get, "/employees", renewed);
        Assert.True(works.StatusCode == HttpStatusCode.OK, await works.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deactivation_ends_every_session_and_reactivation_needs_a_new_sign_in()
    {
        var (id, _) = await RegisterAsync("emp2");
        var (access, refresh) = await SignInAsync("emp2");
        var admin = await AdminTokenAsync();

        using (var deactivate = await SendAsync(HttpMethod.Post, $"/employees/{id}/deactivate", admin))
        {
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        }

        await AssertRevokedAsync(access, "account deactivated");
        using (await SendAsync(HttpMethod.Post, $"/employees/{id}/reactivate", admin))
        {
        }

        using var refused = await Client.PostJsonAsync("/token/refresh", new { refresh_token = refresh });
        Assert.Contains("account deactivated", await AssertProblemAsync(refused, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        using var again = await LoginAsync("emp2", "correct-horse");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Bad_refresh_and_logout_requests_get_401_problems_and_change_nothing()
    {
        await RegisterAsync("alice");
        await RegisterAsync("bob");
        var (aliceAccess, _) = await SignInAsync("alice");
        var (_, bobRefresh) = await SignInAsync("bob");
        var (_, expiring) = await SignInAsync("bob");
        await App.Database.ScalarAsync<object>("UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE expires_at = (SELECT max(expires_at) FROM refresh_tokens)");
        var sessionsBefore = await CountAsync("SELECT count(*) FROM sessions WHERE revoked_at IS NULL");

        var cases = new (string What, Func<Task<HttpResponseMessage>> Send, string Says)[]
        {
            ("garbage", () => Client.PostJsonAsync("/token/refresh", new { refresh_token = "not-a-token" }), "not valid"),
            ("well-formed but unknown", () => Client.PostJsonAsync("/token/refresh", new { refresh_token = new string('A', 43) }), "not valid"),
            ("expired", () => Client.PostJsonAsync("/token/refresh", new { refresh_token = expiring }), "expired"),
            ("another user's, with alice's access token", () => SendAsync(HttpMethod.Post, "/token/refresh", aliceAccess, new { refresh_token = bobRefresh }), "another account"),
            ("wrong type", () => Client.PostAsync("/token/refresh", new StringContent("{\"refresh_token\": 5}", System.Text.Encoding.UTF8, "application/json")), "refresh_token"),
            ("nothing", () => Plain.PostAsync("/token/refresh", content: null), "refresh token is required"),
            ("oversized cookie", () => WithCookieAsync(new string('x', 6000)), "not valid"),
            ("logout with garbage", () => Client.PostJsonAsync("/logout", new { refresh_token = "garbage" }), "not valid"),
            ("logout with nothing", () => Plain.PostAsync("/logout", content: null), "refresh token"),
        };

        foreach (var (what, send, says) in cases)
        {
            using var response = await send();
            var detail = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {detail}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(says, detail, StringComparison.Ordinal);
        }

        Assert.Equal(sessionsBefore, await CountAsync("SELECT count(*) FROM sessions WHERE revoked_at IS NULL"));
        var (_, stillGood) = await RefreshAsync(bobRefresh);
        Assert.NotEmpty(stillGood);
    }

    private async Task<HttpResponseMessage> WithCookieAsync(string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token/refresh");
        request.Headers.Add("Cookie", "refresh_token=" + value);
        return await Plain.SendAsync(request);
    }

    /// <summary>A client that keeps no cookies (the shared one holds the last sign-in's).</summary>
    private HttpClient Plain => field ??= new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = App.BaseAddress };

    private async Task<long> CountAsync(string sql) => await App.Database.ScalarAsync<long>(sql);

    private async Task<(string Access, string Refresh)> SignInAsync(string username)
    {
        using var response = await LoginAsync(username, "correct-horse");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        return (body.GetProperty("token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    private async Task<(string Access, string Refresh)> RefreshAsync(string refresh)
    {
        using var response = await Client.PostJsonAsync("/token/refresh", new { refresh_token = refresh });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("token").GetString()!, json.RootElement.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>The token stops working within the contract's 5 seconds, and the refusal says why.</summary>
    private async Task AssertRevokedAsync(string access, string reason)
    {
        var deadline = DateTime.UtcNow + RevocationDeadline;
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, "/employees", access);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Assert.Contains(reason, await AssertProblemAsync(response, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the token still worked {RevocationDeadline.TotalSeconds} s after it was revoked ({reason})");
            await Task.Delay(50);
        }
    }
}
