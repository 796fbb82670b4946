using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

/// <summary>Managing people: profiles, admins creating accounts, search, deactivation and reactivation, each audited.</summary>
public sealed class PeopleTests(AuthApp app) : AuthTestBase(app)
{
    private Task<long> AuditCountAsync(string action) =>
        App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = $1", action);

    [Fact]
    public async Task An_admin_creates_a_person_who_logs_in_with_the_password_shown_once()
    {
        var admin = await AdminTokenAsync();

        using var created = await SendAsync(HttpMethod.Post, "/employees", admin,
            new { username = "sara.k", full_name = "Sara Karimi", email = "sara@example.org" });
        var body = await created.JsonAsync();
        var password = body.GetProperty("initial_password").GetString()!;
        using var login = await LoginAsync("sara.k", password);
        using var withPassword = await SendAsync(HttpMethod.Post, "/employees", admin, new { username = "ali", password = "chosen-password", role = "admin" });
        using var taken = await SendAsync(HttpMethod.Post, "/employees", admin, new { username = "SARA.K" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var employee = body.GetProperty("employee");
        Assert.Equal("Sara Karimi", employee.GetProperty("full_name").GetString());
        Assert.Equal("sara@example.org", employee.GetProperty("email").GetString());
        Assert.Equal("employee", employee.GetProperty("role").GetString());
        Assert.Equal($"/employees/{employee.GetProperty("id").GetInt32()}", created.Headers.Location?.OriginalString);
        Assert.Equal(16, password.Length);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withPassword.StatusCode);
        Assert.False((await withPassword.JsonAsync()).TryGetProperty("initial_password", out _));
        await AssertProblemAsync(taken, HttpStatusCode.Conflict);
        Assert.Equal(2, await AuditCountAsync("employee.created"));
        Assert.DoesNotContain(password, await App.Database.ScalarAsync<string>("SELECT string_agg(details::text, ' ') FROM audit_log") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task People_edit_their_own_profile_admins_anyones_and_others_see_only_the_name()
    {
        var (id, token) = await RegisterAsync("emp2");
        var (otherId, otherToken) = await RegisterAsync("emp3");
        var admin = await AdminTokenAsync();

        using var own = await SendAsync(HttpMethod.Patch, $"/employees/{id}", token, new { full_name = "  Reza Ahmadi ", email = "reza@example.org" });
        using var others = await SendAsync(HttpMethod.Patch, $"/employees/{otherId}", token, new { full_name = "Hacked" });
        using var byAdmin = await SendAsync(HttpMethod.Patch, $"/employees/{otherId}", admin, new { email = "mina@example.org" });
        using var cleared = await SendAsync(HttpMethod.Patch, $"/employees/{id}", token, new { email = "" });
        using var seenByOther = await SendAsync(HttpMethod.Get, $"/employees/{id}", otherToken);
        using var seenBySelf = await SendAsync(HttpMethod.Get, $"/employees/{id}", token);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("Reza Ahmadi", (await own.JsonAsync()).GetProperty("full_name").GetString());
        await AssertProblemAsync(others, HttpStatusCode.Forbidden);
        Assert.Equal("mina@example.org", (await byAdmin.JsonAsync()).GetProperty("email").GetString());
        var afterClear = await cleared.JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, afterClear.GetProperty("email").ValueKind);
        Assert.Equal("Reza Ahmadi", afterClear.GetProperty("full_name").GetString());
        Assert.Equal(["id", "username", "full_name"], (await seenByOther.JsonAsync()).EnumerateObject().Select(p => p.Name));
        Assert.Equal("employee", (await seenBySelf.JsonAsync()).GetProperty("role").GetString());
        Assert.Equal(3, await AuditCountAsync("employee.profile_changed"));
    }

    [Theory]
    [InlineData("{\"email\":\"not-an-address\"}", "email")]
    [InlineData("{\"email\":\"Name <a@example.org>\"}", "email")]
    [InlineData("{\"email\":\"a@example.org, b@example.org\"}", "email")]
    [InlineData("{\"full_name\":\"bell\\u0007\"}", "full_name")]
    [InlineData("{\"full_name\":5}", "full_name")]
    public async Task Bad_profile_values_are_400_and_change_nothing(string json, string field)
    {
        var (id, token) = await RegisterAsync("emp2");

        using var response = await SendAsync(HttpMethod.Patch, $"/employees/{id}", token,
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(field, await AssertProblemAsync(response, HttpStatusCode.BadRequest) + await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await AuditCountAsync("employee.profile_changed"));
    }

    [Fact]
    public async Task The_directory_is_searched_by_name_and_filtered_by_activity()
    {
        var admin = await AdminTokenAsync();
        using (await SendAsync(HttpMethod.Post, "/employees", admin, new { username = "sara.k", full_name = "Sara Karimi" }))
        using (await SendAsync(HttpMethod.Post, "/employees", admin, new { username = "karim", full_name = "Karim Nouri" }))
        using (await SendAsync(HttpMethod.Post, "/employees", admin, new { username = "pct_user", full_name = "100% sure" }))
        {
        }

        var karimId = await App.Database.ScalarAsync<int>("SELECT id FROM employees WHERE username = 'karim'");
        using (await SendAsync(HttpMethod.Post, $"/employees/{karimId}/deactivate", admin))
        {
        }

        async Task<List<string?>> NamesAsync(string query)
        {
            using var response = await SendAsync(HttpMethod.Get, "/employees?" + query, admin);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.JsonAsync()).EnumerateArray().Select(e => e.GetProperty("username").GetString()).ToList();
        }

        Assert.Equal(["sara.k", "karim"], await NamesAsync("q=KARIM"));
        Assert.Equal(["sara.k"], await NamesAsync("q=karim&active=true"));
        Assert.Equal(["karim"], await NamesAsync("active=false"));
        Assert.Equal(["pct_user"], await NamesAsync("q=%25"));
        Assert.Equal(["pct_user"], await NamesAsync("q=_"));
        using var bad = await SendAsync(HttpMethod.Get, "/employees?active=maybe", admin);
        await AssertProblemAsync(bad, HttpStatusCode.BadRequest);

        using var reactivate = await SendAsync(HttpMethod.Post, $"/employees/{karimId}/reactivate", admin);
        Assert.True((await reactivate.JsonAsync()).GetProperty("active").GetBoolean());
        Assert.Equal(1, await AuditCountAsync("employee.reactivated"));
    }

    [Fact]
    public async Task Only_admins_create_and_reactivate()
    {
        var (id, token) = await RegisterAsync("emp2");

        using var create = await SendAsync(HttpMethod.Post, "/employees", token, new { username = "friend" });
        using var reactivate = await SendAsync(HttpMethod.Post, $"/employees/{id}/reactivate", token);
        using var unknown = await SendAsync(HttpMethod.Get, "/employees/987654", token);

        await AssertProblemAsync(create, HttpStatusCode.Forbidden);
        await AssertProblemAsync(reactivate, HttpStatusCode.Forbidden);
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }
}

/// <summary>REGISTRATION=closed: nobody registers; admins create people.</summary>
public sealed class ClosedRegistrationAuthApp : AuthApp
{
    protected override void Adjust(IDictionary<string, string?> settings) => settings["REGISTRATION"] = "closed";
}

public sealed class ClosedRegistrationTests(ClosedRegistrationAuthApp app) : IClassFixture<ClosedRegistrationAuthApp>
{
    [Fact]
    public async Task Registering_is_403_and_writes_nothing()
    {
        await app.ResetAsync();
        using var client = app.CreateClient();

        using var response = await client.PostJsonAsync("/register", new { username = "walk-in", password = "correct-horse" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("closed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM employees"));
    }
}
