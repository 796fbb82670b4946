using System.Net;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

public sealed class RegisterAndLoginTests(AuthApp app) : AuthTestBase(app)
{
    [Fact]
    public async Task Register_returns_201_with_an_employee_token_carrying_the_design_claims()
    {
        using var response = await Client.PostJsonAsync("/register", new { username = "emp2", password = "correct-horse" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        var id = body.GetProperty("employee_id").GetInt32();
        var token = new JsonWebToken(body.GetProperty("token").GetString());
        Assert.Equal("HS256", token.Alg);
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), token.Subject);
        Assert.Equal(id, token.GetPayloadValue<int>("employee_id"));
        Assert.Equal("emp2", token.GetPayloadValue<string>("name"));
        Assert.Equal("employee", token.GetPayloadValue<string>("role"));
        Assert.Equal(AuthAppSecrets.Issuer, token.Issuer);
        Assert.Contains(AuthAppSecrets.Audience, token.Audiences);
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.InRange(token.ValidTo, DateTime.UtcNow.AddMinutes(14), DateTime.UtcNow.AddMinutes(16));
        Assert.False(string.IsNullOrEmpty(token.GetPayloadValue<string>("sid")));
        Assert.Equal(43, body.GetProperty("refresh_token").GetString()!.Length);
    }

    [Fact]
    public async Task Login_returns_token_expiry_id_and_role_and_ignores_username_case()
    {
        var (id, _) = await RegisterAsync("Emp.Two");

        using var response = await LoginAsync("emp.two", "correct-horse");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(id, body.GetProperty("employee_id").GetInt32());
        Assert.Equal("employee", body.GetProperty("role").GetString());
        var expiresAt = body.GetProperty("expires_at").GetString()!;
        Assert.EndsWith("Z", expiresAt, StringComparison.Ordinal);
        var token = new JsonWebToken(body.GetProperty("token").GetString());
        Assert.Equal(token.ValidTo, DateTime.Parse(expiresAt, null, System.Globalization.DateTimeStyles.AdjustToUniversal));
    }

    [Fact]
    public async Task The_admin_from_configuration_logs_in_as_admin()
    {
        using var response = await LoginAsync(AuthApp.AdminUsername, AuthApp.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("admin", (await response.JsonAsync()).GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("<script>")]
    [InlineData("émile")]
    [InlineData("robert'); DROP TABLE employees;--")]
    public async Task Register_refuses_a_bad_username(string username)
    {
        using var response = await Client.PostJsonAsync("/register", new { username, password = "correct-horse" });

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("username", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1L, await App.Database.ScalarAsync<long>("SELECT count(*) FROM employees"));
    }

    [Fact]
    public async Task Register_refuses_an_over_long_username()
    {
        using var response = await Client.PostJsonAsync("/register", new { username = new string('a', 65), password = "correct-horse" });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(129)]
    public async Task Register_refuses_a_password_of_the_wrong_length(int length)
    {
        using var response = await Client.PostJsonAsync("/register", new { username = "emp3", password = new string('p', length) });

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("password", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Register_refuses_a_taken_username_whatever_its_case()
    {
        await RegisterAsync("emp2");

        using var response = await Client.PostJsonAsync("/register", new { username = "EMP2", password = "another-pass" });

        var detail = await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("taken", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simultaneous_registrations_of_one_username_give_one_201_and_one_409()
    {
        for (var round = 0; round < 5; round++)
        {
            var username = $"race{round}";
            var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
                Client.PostJsonAsync("/register", new { username, password = "correct-horse" })));

            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], attempts.Select(r => r.StatusCode).Order());
            Assert.Equal(1L, await App.Database.ScalarAsync<long>("SELECT count(*) FROM employees WHERE username = $1", username));
        }
    }

    [Fact]
    public async Task The_stored_hash_is_bcrypt_with_the_configured_work_factor()
    {
        await RegisterAsync("emp2", "correct-horse");

        var hash = await App.Database.ScalarAsync<string>("SELECT password_hash FROM employees WHERE username = 'emp2'");

        Assert.Matches($"^\\$2[aby]\\${AuthApp.WorkFactor}\\$", hash!);
        Assert.DoesNotContain("correct-horse", hash!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_answer()
    {
        await RegisterAsync("emp2");

        using var unknown = await LoginAsync("nobody", "correct-horse");
        using var wrong = await LoginAsync("emp2", "wrong-horse");

        Assert.Equal(await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized),
            await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized));
        Assert.Equal("invalid credentials", await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task Repeated_failures_for_a_username_are_throttled_with_429_even_with_the_right_password()
    {
        await RegisterAsync("emp2");
        for (var i = 0; i < AuthApp.MaxFailuresPerUsername; i++)
        {
            using var failed = await LoginAsync("emp2", "wrong-horse");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var throttled = await LoginAsync("EMP2", "correct-horse");

        await AssertProblemAsync(throttled, HttpStatusCode.TooManyRequests);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var other = await LoginAsync(AuthApp.AdminUsername, AuthApp.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("{\"username\": \"emp2\", \"password\": ", "not valid JSON")]
    [InlineData("{\"username\": 5, \"password\": \"correct-horse\"}", "$.username")]
    [InlineData("{\"username\": \"emp2\", \"password\": true}", "$.password")]
    [InlineData("{\"username\": \"emp2\"}", "password")]
    [InlineData("{\"username\": null, \"password\": \"correct-horse\"}", "username")]
    [InlineData("{\"username\": \"emp2\", \"password\": \"correct-horse\", \"role\": \"admin\"}", "role")]
    [InlineData("[1, 2, 3]", "JSON")]
    [InlineData("", "body")]
    [InlineData("{\"username\": \"emp\u00ff\", \"password\": \"\\ud800\"}", "")]
    public async Task Register_answers_bad_bodies_with_400_problem_details(string json, string mentioned)
    {
        using var response = await Client.PostAsync("/register", new StringContent(json, Encoding.UTF8, "application/json"));

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1L, await App.Database.ScalarAsync<long>("SELECT count(*) FROM employees"));
    }

    [Fact]
    public async Task Register_refuses_a_body_that_is_not_json_with_415()
    {
        using var response = await Client.PostAsync("/register", new StringContent("username=emp2", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        var json = $"{{\"username\": \"emp2\", \"password\": \"{new string('x', 70 * 1024)}\"}}";

        using var response = await Client.PostAsync("/register", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_oversized_chunked_body_is_refused_with_413()
    {
        var payload = Encoding.UTF8.GetBytes($"{{\"username\": \"emp2\", \"password\": \"{new string('x', 70 * 1024)}\"}}");
        using var content = new StreamContent(new MemoryStream(payload));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/register") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_deactivated_employee_can_no_longer_log_in()
    {
        var (id, _) = await RegisterAsync("emp2");
        using var deactivate = await SendAsync(HttpMethod.Post, $"/employees/{id}/deactivate", await AdminTokenAsync());
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);

        using var login = await LoginAsync("emp2", "correct-horse");

        var detail = await AssertProblemAsync(login, HttpStatusCode.Unauthorized);
        Assert.Contains("deactivated", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_paths_answer_404_problem_details()
    {
        using var response = await Client.GetAsync("/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        using var live = await Client.GetAsync("/health/live");
        using var ready = await Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Cors_allows_the_client_origin_only()
    {
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/login");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return await Client.SendAsync(request);
        }

        using var allowed = await PreflightAsync("http://127.0.0.1:5500");
        using var refused = await PreflightAsync("http://evil.example");

        Assert.Equal("http://127.0.0.1:5500", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_correlation_id_is_echoed_and_reported_in_problems()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new StringContent("{", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Correlation-ID", "abc-123");

        using var response = await Client.SendAsync(request);

        Assert.Equal("abc-123", response.Headers.GetValues("X-Correlation-ID").Single());
        Assert.Equal("abc-123", (await response.JsonAsync()).GetProperty("correlation_id").GetString());
    }
}
