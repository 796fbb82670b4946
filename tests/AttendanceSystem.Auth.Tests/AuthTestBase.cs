using System.Net;
using System.Net.Http.Headers;
using AttendanceSystem.Testing;

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

    /// <summary>Signs in and returns the access token.</summary>
    protected async Task<string> LoginAsync(string username)
    {
        using var response = await LoginAsync(username, "correct-horse");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("token").GetString()!;
    }

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
            request.Content = body as HttpContent ?? System.Net.Http.Json.JsonContent.Create(body, options: HttpAssertions.Json);
        }

        return await Client.SendAsync(request);
    }

    protected static Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status) =>
        response.AssertProblemAsync(status);
}
