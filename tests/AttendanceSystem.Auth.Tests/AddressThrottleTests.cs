using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

/// <summary>An auth service whose per-address limit is low, to show a username spray from one address is stopped.</summary>
public sealed class StrictAddressAuthApp : AuthApp
{
    public const int MaxFailuresPerAddress = 4;

    protected override void Adjust(IDictionary<string, string?> settings)
    {
        settings["LOGIN_MAX_FAILURES_PER_ADDRESS"] = MaxFailuresPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["LOGIN_MAX_FAILURES_PER_USERNAME"] = "100";
    }
}

public sealed class AddressThrottleTests(StrictAddressAuthApp app) : IClassFixture<StrictAddressAuthApp>
{
    [Fact]
    public async Task Failures_across_many_usernames_from_one_address_are_throttled_with_429()
    {
        await app.ResetAsync();
        using var client = app.CreateClient();
        for (var i = 0; i < StrictAddressAuthApp.MaxFailuresPerAddress; i++)
        {
            using var failed = await client.PostJsonAsync("/login", new { username = $"guess{i}", password = "wrong-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var throttled = await client.PostJsonAsync("/login", new { username = AuthApp.AdminUsername, password = AuthApp.AdminPassword });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(throttled.Headers.RetryAfter);
    }
}
