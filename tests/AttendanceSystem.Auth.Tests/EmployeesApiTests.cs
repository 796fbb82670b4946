using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

public sealed class EmployeesApiTests(AuthApp app) : AuthTestBase(app)
{
    [Fact]
    public async Task Any_signed_in_user_pages_through_employees_by_id()
    {
        var (_, token) = await RegisterAsync("emp-a");
        await RegisterAsync("emp-b");
        await RegisterAsync("emp-c");

        using var first = await SendAsync(HttpMethod.Get, "/employees?limit=2", token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page1 = (await first.JsonAsync()).EnumerateArray().ToList();
        Assert.Equal([AuthApp.AdminUsername, "emp-a"], page1.Select(e => e.GetProperty("username").GetString()));
        // Someone else: id, username and full name only; yourself: your whole profile.
        Assert.Equal(["id", "username", "full_name"], page1[0].EnumerateObject().Select(p => p.Name));
        Assert.Contains("role", page1[1].EnumerateObject().Select(p => p.Name));
        var next = first.Headers.GetValues("Link").Single();
        Assert.Contains("rel=\"next\"", next, StringComparison.Ordinal);

        var after = page1[^1].GetProperty("id").GetInt32();
        using var second = await SendAsync(HttpMethod.Get, $"/employees?limit=2&after={after}", token);
        var page2 = (await second.JsonAsync()).EnumerateArray().Select(e => e.GetProperty("username").GetString());
        Assert.Equal(["emp-b", "emp-c"], page2);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=-1")]
    [InlineData("limit=501")]
    [InlineData("limit=abc")]
    [InlineData("limit=99999999999")]
    [InlineData("after=-5")]
    [InlineData("after=1.5")]
    public async Task Bad_paging_values_are_400_not_clamped(string query)
    {
        using var response = await SendAsync(HttpMethod.Get, "/employees?" + query, await AdminTokenAsync());

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(query.Split('=')[0], detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_employees_needs_a_token()
    {
        using var response = await Client.GetAsync("/employees");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_promotes_an_employee_who_then_acts_as_admin()
    {
        var (id, _) = await RegisterAsync("emp2");

        using var promote = await SendAsync(HttpMethod.Put, $"/employees/{id}/role", await AdminTokenAsync(), new { role = "admin" });

        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        var body = await promote.JsonAsync();
        Assert.Equal("admin", body.GetProperty("role").GetString());
        Assert.True(body.GetProperty("active").GetBoolean());
        using var login = await LoginAsync("emp2", "correct-horse");
        var newToken = (await login.JsonAsync()).GetProperty("token").GetString();
        var (otherId, _) = await RegisterAsync("emp3");
        using var deactivate = await SendAsync(HttpMethod.Post, $"/employees/{otherId}/deactivate", newToken);
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
    }

    [Fact]
    public async Task An_employee_cannot_change_roles_or_deactivate_anyone()
    {
        var (id, token) = await RegisterAsync("emp2");
        var (otherId, _) = await RegisterAsync("emp3");

        using var promoteSelf = await SendAsync(HttpMethod.Put, $"/employees/{id}/role", token, new { role = "admin" });
        using var deactivate = await SendAsync(HttpMethod.Post, $"/employees/{otherId}/deactivate", token);

        await AssertProblemAsync(promoteSelf, HttpStatusCode.Forbidden);
        await AssertProblemAsync(deactivate, HttpStatusCode.Forbidden);
        Assert.Equal("employee", await App.Database.ScalarAsync<string>("SELECT role FROM employees WHERE id = $1", id));
        Assert.True(await App.Database.ScalarAsync<bool>("SELECT active FROM employees WHERE id = $1", otherId));
    }

    [Theory]
    [InlineData("/employees/abc/role", HttpStatusCode.BadRequest)]
    [InlineData("/employees/-3/role", HttpStatusCode.BadRequest)]
    [InlineData("/employees/0/role", HttpStatusCode.BadRequest)]
    [InlineData("/employees/99999999999/role", HttpStatusCode.BadRequest)]
    [InlineData("/employees/4242/role", HttpStatusCode.NotFound)]
    public async Task Bad_or_unknown_ids_are_refused(string path, HttpStatusCode status)
    {
        using var response = await SendAsync(HttpMethod.Put, path, await AdminTokenAsync(), new { role = "admin" });

        await AssertProblemAsync(response, status);
    }

    [Theory]
    [InlineData("superuser")]
    [InlineData("service")]
    [InlineData("")]
    public async Task Only_known_roles_can_be_given(string role)
    {
        var (id, _) = await RegisterAsync("emp2");

        using var response = await SendAsync(HttpMethod.Put, $"/employees/{id}/role", await AdminTokenAsync(), new { role });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted_or_deactivated()
    {
        var admin = await AdminTokenAsync();
        var adminId = await App.Database.ScalarAsync<int>("SELECT id FROM employees WHERE username = $1", AuthApp.AdminUsername);

        using var demote = await SendAsync(HttpMethod.Put, $"/employees/{adminId}/role", admin, new { role = "employee" });
        using var deactivate = await SendAsync(HttpMethod.Post, $"/employees/{adminId}/deactivate", admin);

        await AssertProblemAsync(demote, HttpStatusCode.Conflict);
        await AssertProblemAsync(deactivate, HttpStatusCode.Conflict);
        Assert.Equal("admin", await App.Database.ScalarAsync<string>("SELECT role FROM employees WHERE id = $1", adminId));
    }

    [Fact]
    public async Task Changing_my_password_takes_the_old_one_away()
    {
        var (_, token) = await RegisterAsync("emp2", "correct-horse");

        using var wrong = await SendAsync(HttpMethod.Post, "/me/password", token,
            new { current_password = "not-it-at-all", new_password = "battery-staple" });
        using var tooShort = await SendAsync(HttpMethod.Post, "/me/password", token,
            new { current_password = "correct-horse", new_password = "short" });
        using var changed = await SendAsync(HttpMethod.Post, "/me/password", token,
            new { current_password = "correct-horse", new_password = "battery-staple" });

        await AssertProblemAsync(wrong, HttpStatusCode.BadRequest);
        await AssertProblemAsync(tooShort, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        using var oldLogin = await LoginAsync("emp2", "correct-horse");
        using var newLogin = await LoginAsync("emp2", "battery-staple");
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newLogin.StatusCode);
    }

    [Fact]
    public async Task Changing_a_password_needs_a_token()
    {
        using var response = await Client.PostJsonAsync("/me/password", new { current_password = "a", new_password = "bbbbbbbbbb" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}
