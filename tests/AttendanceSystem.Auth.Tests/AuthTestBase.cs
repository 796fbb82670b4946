using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AttendanceSystem.Auth.Tests;

/// <summary>Per test: a clean database (only the seeded admin) and helpers that speak the API like curl would.</summary>
public abstract class AuthTestBase(AuthApp app) : IClassFixture<AuthApp>, IAsyncLifetime
{
    protected AuthApp App { get; } = app;

    protected HttpClient Client { get; } = app.CreateClient();

    public Task InitializeAsync() => App.ResetAsync();

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }

    protected async Task<(int Id, string Token)> RegisterAsync(string username, string password = "correct-horse")
    {
        using var response = await Client.PostJsonAsync("/register", new { username, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        return (body.GetProperty("employee_id").GetInt32(), body.GetProperty("token").GetString()!);
    }

    protected async Task<HttpResponseMessage> LoginAsync(string username, string password) =>
        await Client.PostJsonAsync("/login", new { username, password });

    protected async Task<string> AdminTokenAsync()
    {
        using var response = await LoginAsync(AuthApp.AdminUsername, AuthApp.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("token").GetString()!;
    }

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body, options: HttpJson.Options);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Asserts an RFC 9457 answer with the given status and a readable detail; returns the detail.</summary>
    protected static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        var detail = body.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), "problem details must say what was wrong: " + text);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // no stack traces
        return detail!;
    }
}
