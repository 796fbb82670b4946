using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

/// <summary>Every forged, stale or foreign token is refused with 401 problem details that say why.</summary>
public sealed class TokenValidationTests(AuthApp app) : AuthTestBase(app)
{
    public static TheoryData<string, string, string> BadTokens => new()
    {
        { "none", "", "bearer token is required" },
        { "garbage", "not-a-jwt", "" },
        { "alg none", TestTokens.AlgNone(), "" },
        { "wrong key", TestTokens.Create(secret: "another-secret-of-sufficient-length-0123456789"), "signature" },
        { "expired", TestTokens.Create(expires: DateTime.UtcNow.AddMinutes(-5)), "expired" },
        { "not yet valid", TestTokens.Create(notBefore: DateTime.UtcNow.AddMinutes(10)), "not valid yet" },
        { "wrong audience", TestTokens.Create(audience: "someone-else"), "audience" },
        { "wrong issuer", TestTokens.Create(issuer: "someone-else"), "issuer" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_tokens_are_refused_with_401(string kind, string token, string reason)
    {
        using var response = await SendAsync(HttpMethod.Get, "/employees", token.Length == 0 ? null : token);

        var detail = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.True(detail.Contains(reason, StringComparison.OrdinalIgnoreCase), $"{kind}: {detail}");
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_payload_is_refused_with_401()
    {
        var (id, token) = await RegisterAsync("emp2");

        using var response = await SendAsync(HttpMethod.Put, $"/employees/{id}/role", TestTokens.Tampered(token), new { role = "admin" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("employee", await App.Database.ScalarAsync<string>("SELECT role FROM employees WHERE id = $1", id));
    }

    [Fact]
    public async Task A_deactivated_employees_token_stops_working_at_once()
    {
        var (id, token) = await RegisterAsync("emp2");
        using var before = await SendAsync(HttpMethod.Get, "/employees", token);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        using var deactivate = await SendAsync(HttpMethod.Post, $"/employees/{id}/deactivate", await AdminTokenAsync());
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);

        using var after = await SendAsync(HttpMethod.Get, "/employees", token);

        Assert.Contains("deactivated", await AssertProblemAsync(after, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_the_shared_secret_is_accepted()
    {
        using var response = await SendAsync(HttpMethod.Get, "/employees", TestTokens.Create(role: "employee"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
