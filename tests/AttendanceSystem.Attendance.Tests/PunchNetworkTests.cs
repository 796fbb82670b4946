using System.Net;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>Attendance allowing punches only from 10.20.0.0/16, behind a proxy on loopback that it trusts.</summary>
public sealed class OfficeNetworkAttendanceApp : AttendanceApp
{
    protected override void Adjust(IDictionary<string, string?> settings)
    {
        settings["PUNCH_ALLOWED_NETWORKS"] = "10.20.0.0/16, 192.168.7.9";
        settings["KNOWN_PROXIES"] = "127.0.0.1";
    }
}

/// <summary>PUNCH_ALLOWED_NETWORKS: punches (also at kiosks) from elsewhere are 403, saying where punching is allowed.</summary>
public sealed class PunchNetworkTests(OfficeNetworkAttendanceApp app) : AttendanceTestBase<OfficeNetworkAttendanceApp>(app)
{
    private async Task<HttpResponseMessage> PunchFromAsync(Person person, string? forwardedFor, string path = "/attendance", object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = System.Net.Http.Json.JsonContent.Create(body ?? new { action = "in" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", person.Token);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Punches_from_outside_the_allowed_networks_are_refused_and_say_where_punching_is_allowed()
    {
        var emp = await App.CreatePersonAsync("emp2");

        // The connection itself (loopback) is outside the list.
        using var direct = await PunchFromAsync(emp, null);
        var detail = await direct.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("10.20.0.0/16", detail, StringComparison.Ordinal);
        Assert.Contains("192.168.7.9/32", detail, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", detail, StringComparison.Ordinal);

        // Through the trusted proxy, the forwarded client address decides.
        using var fromHome = await PunchFromAsync(emp, "203.0.113.5");
        Assert.Contains("203.0.113.5", await fromHome.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Empty(await StoredActionsAsync(emp.Id));

        using var fromOffice = await PunchFromAsync(emp, "10.20.3.4");
        Assert.Equal(HttpStatusCode.Created, fromOffice.StatusCode);
        using var fromDesk = await PunchFromAsync(emp, "192.168.7.9", body: new { action = "out" });
        Assert.Equal(HttpStatusCode.Created, fromDesk.StatusCode);
        Assert.Equal(["in", "out"], await StoredActionsAsync(emp.Id));

        // Reading is not punching: history stays available from anywhere.
        using var history = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}", emp.Token);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
    }

    [Fact]
    public async Task Kiosk_punches_follow_the_same_list()
    {
        var admin = await App.CreatePersonAsync("boss", "admin");
        using var registered = await Client.SendAsync(HttpMethod.Post, "/kiosks", admin.Token, new { name = "Door" });
        var kiosk = (await registered.JsonAsync()).GetProperty("token").GetString()!;
        var asKiosk = new Person(0, "kiosk", kiosk);

        using var outside = await PunchFromAsync(asKiosk, "203.0.113.5", "/kiosk/punch", new { username = "boss", pin = "1234" });
        Assert.Contains("Punching is allowed only from", await outside.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);

        // Inside, the request reaches the PIN check (wrong here: nobody has set one).
        using var inside = await PunchFromAsync(asKiosk, "10.20.0.9", "/kiosk/punch", new { username = "boss", pin = "1234" });
        await inside.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

/// <summary>Without KNOWN_PROXIES, a client's own X-Forwarded-For does not get it into the office network.</summary>
public sealed class UntrustedProxyAttendanceApp : AttendanceApp
{
    protected override void Adjust(IDictionary<string, string?> settings) => settings["PUNCH_ALLOWED_NETWORKS"] = "10.20.0.0/16";
}

public sealed class SpoofedNetworkTests(UntrustedProxyAttendanceApp app) : AttendanceTestBase<UntrustedProxyAttendanceApp>(app)
{
    [Fact]
    public async Task A_forwarded_address_from_an_unknown_proxy_is_ignored()
    {
        var emp = await App.CreatePersonAsync("emp2");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/attendance") { Content = System.Net.Http.Json.JsonContent.Create(new { action = "in" }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", emp.Token);
        request.Headers.Add("X-Forwarded-For", "10.20.0.1");
        using var response = await Client.SendAsync(request);
        Assert.Contains("127.0.0.1", await response.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Empty(await StoredActionsAsync(emp.Id));
    }
}
