using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AttendanceSystem.Data.Credentials;
using AttendanceSystem.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>
/// Kiosks: registered by an admin (token once), people set a PIN with their password, a kiosk
/// punches by username + PIN (toggling), wrong PINs are throttled in PostgreSQL, revocation is
/// immediate, a team's kiosk serves its team only, and each step leaves an audit row.
/// </summary>
public sealed class KioskTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private const string Password = "correct-horse";

    /// <summary>A person who can sign in (a real password hash), so PIN changes can be confirmed.</summary>
    private Task<Person> PersonWithPasswordAsync(string username, string role = "employee") =>
        App.CreatePersonAsync(username, role, App.Services.GetRequiredService<PasswordHasher>().Hash(Password));

    private async Task<string> RegisterKioskAsync(Person admin, string name = "Front door", int? teamId = null)
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "/kiosks", admin.Token, new { name, team_id = teamId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("token").GetString()!;
    }

    private async Task SetPinAsync(Person person, string pin)
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "/me/pin", person.Token, new { current_password = Password, pin });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private Task<HttpResponseMessage> KioskPunchAsync(string kioskToken, object body) =>
        Client.SendAsync(HttpMethod.Post, "/kiosk/punch", kioskToken, body);

    private Task<long> AuditCountAsync(string action) =>
        App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = $1", action);

    [Fact]
    public async Task A_kiosk_punches_in_then_out_for_the_right_pin_and_says_who()
    {
        var admin = await PersonWithPasswordAsync("boss", "admin");
        var emp = await PersonWithPasswordAsync("emp2");
        await App.Database.ScalarAsync<object>("UPDATE employees SET full_name = 'Sara Ahmadi' WHERE id = $1", emp.Id);
        var kiosk = await RegisterKioskAsync(admin);
        await SetPinAsync(emp, "4321");

        using var first = await KioskPunchAsync(kiosk, new { username = "emp2", pin = "4321" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var record = await first.JsonAsync();
        Assert.Equal("in", record.GetProperty("action").GetString());
        Assert.Equal("kiosk", record.GetProperty("source").GetString());
        Assert.Equal(emp.Id, record.GetProperty("employee_id").GetInt32());
        Assert.Equal("Sara Ahmadi", record.GetProperty("full_name").GetString());
        Assert.False(record.GetProperty("has_photo").GetBoolean());

        // No action given: the opposite of the last. Persian digits are the same PIN.
        using var second = await KioskPunchAsync(kiosk, new { username = "EMP2", pin = "۴۳۲۱" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("out", (await second.JsonAsync()).GetProperty("action").GetString());

        // An explicit action that breaks the rules is refused by them.
        using var again = await KioskPunchAsync(kiosk, new { username = "emp2", pin = "4321", action = "out" });
        Assert.Contains("next punch must be \"in\"", await again.AssertProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);

        Assert.Equal(["in", "out"], await StoredActionsAsync(emp.Id));
        Assert.Equal(2, await App.Database.ScalarAsync<long>("SELECT count(*) FROM attendance_records WHERE source = 'kiosk' AND kiosk_id IS NOT NULL"));
        Assert.Equal(2, await AuditCountAsync("punch.kiosk"));
        Assert.Equal(1, await AuditCountAsync("kiosk.registered"));
        Assert.Equal(1, await AuditCountAsync("employee.pin_changed"));

        // The employee's own history shows where the punches came from.
        using var history = await Client.SendAsync(HttpMethod.Get, $"/attendance/{emp.Id}", emp.Token);
        Assert.All((await history.JsonAsync()).EnumerateArray(), r => Assert.Equal("kiosk", r.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task The_token_is_shown_once_and_revoking_it_stops_the_kiosk_at_once()
    {
        var admin = await PersonWithPasswordAsync("boss", "admin");
        var emp = await PersonWithPasswordAsync("emp2");
        await SetPinAsync(emp, "123456");
        var kiosk = await RegisterKioskAsync(admin, "Warehouse");

        using var list = await Client.SendAsync(HttpMethod.Get, "/kiosks", admin.Token);
        var listed = Assert.Single((await list.JsonAsync()).EnumerateArray());
        Assert.Equal("Warehouse", listed.GetProperty("name").GetString());
        Assert.True(listed.GetProperty("token").ValueKind == JsonValueKind.Null, "the list never shows a token");
        Assert.DoesNotContain(kiosk, await App.Database.ScalarAsync<string>("SELECT string_agg(encode(token_hash, 'escape'), '') FROM kiosks"), StringComparison.Ordinal);
        var id = listed.GetProperty("id").GetInt32();

        using var self = await Client.SendAsync(HttpMethod.Get, "/kiosk", kiosk);
        Assert.Equal("Warehouse", (await self.JsonAsync()).GetProperty("name").GetString());

        using var notAdmin = await Client.SendAsync(HttpMethod.Delete, $"/kiosks/{id}", emp.Token);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        using var revoked = await Client.SendAsync(HttpMethod.Delete, $"/kiosks/{id}", admin.Token);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var twice = await Client.SendAsync(HttpMethod.Delete, $"/kiosks/{id}", admin.Token);
        await twice.AssertProblemAsync(HttpStatusCode.Conflict);

        using var punch = await KioskPunchAsync(kiosk, new { username = "emp2", pin = "123456" });
        Assert.Contains("revoked", await punch.AssertProblemAsync(HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        using var after = await Client.SendAsync(HttpMethod.Get, "/kiosk", kiosk);
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await StoredActionsAsync(emp.Id));
        Assert.Equal(1, await AuditCountAsync("kiosk.revoked"));

        // A person's JWT is no kiosk token, and employees cannot register kiosks.
        using var withJwt = await KioskPunchAsync(emp.Token, new { username = "emp2", pin = "123456" });
        await withJwt.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var register = await Client.SendAsync(HttpMethod.Post, "/kiosks", emp.Token, new { name = "Mine" });
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
    }

    [Fact]
    public async Task Wrong_pins_lock_the_username_in_the_database_and_the_lock_is_audited()
    {
        var admin = await PersonWithPasswordAsync("boss", "admin");
        var emp = await PersonWithPasswordAsync("emp2");
        await SetPinAsync(emp, "2468");
        var kiosk = await RegisterKioskAsync(admin);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await KioskPunchAsync(kiosk, new { username = "emp2", pin = "1111" });
            Assert.Equal("Wrong username or PIN.", await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized));
        }

        // Locked now, the right PIN included; the lock lives in PostgreSQL, where every replica reads it.
        using var locked = await KioskPunchAsync(kiosk, new { username = "emp2", pin = "2468" });
        Assert.Contains("Too many wrong PINs", await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(1, await App.Database.ScalarAsync<long>("SELECT count(*) FROM login_throttles WHERE key = 'pin:emp2' AND locked_until > now()"));
        Assert.Equal(1, await AuditCountAsync("kiosk.pin_locked_out"));
        Assert.Empty(await StoredActionsAsync(emp.Id));

        // The password is a separate secret: signing in is not locked by PIN guesses.
        Assert.Equal(0, await App.Database.ScalarAsync<long>("SELECT count(*) FROM login_throttles WHERE key = 'user:emp2'"));

        // An unknown name and a person without a PIN get the same answer as a wrong PIN.
        await PersonWithPasswordAsync("nopin");
        foreach (var username in new[] { "nobody", "nopin" })
        {
            using var response = await KioskPunchAsync(kiosk, new { username, pin = "0000" });
            Assert.Equal("Wrong username or PIN.", await response.AssertProblemAsync(HttpStatusCode.Unauthorized));
        }
    }

    [Fact]
    public async Task A_pin_change_needs_the_password_and_a_pin_of_four_to_eight_digits()
    {
        var emp = await PersonWithPasswordAsync("emp2");
        (object Body, string Field)[] bad =
        [
            (new { current_password = Password, pin = "123" }, "pin"),
            (new { current_password = Password, pin = "123456789" }, "pin"),
            (new { current_password = Password, pin = "12a4" }, "pin"),
            (new { current_password = Password }, "pin"),
            (new { pin = "1234" }, "current_password"),
            (new { current_password = "wrong-password", pin = "1234" }, "current_password"),
        ];
        foreach (var (body, field) in bad)
        {
            using var response = await Client.SendAsync(HttpMethod.Put, "/me/pin", emp.Token, body);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains(field, problem, StringComparison.Ordinal);
        }

        Assert.Null(await App.Database.ScalarAsync<string?>("SELECT pin_hash FROM employees WHERE id = $1", emp.Id));
        await SetPinAsync(emp, "۱۲۳۴۵");
        var hash = await App.Database.ScalarAsync<string>("SELECT pin_hash FROM employees WHERE id = $1", emp.Id);
        Assert.StartsWith("$2", hash, StringComparison.Ordinal);
        Assert.True(App.Services.GetRequiredService<PasswordHasher>().Verify("12345", hash));
        Assert.Equal(1, await App.Database.ScalarAsync<long>("SELECT count(*) FROM login_throttles WHERE key = 'user:emp2'"));

        using var anonymous = await Client.SendAsync(HttpMethod.Put, "/me/pin", null, new { current_password = Password, pin = "1234" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_teams_kiosk_lists_its_team_and_punches_for_its_members_only()
    {
        var admin = await PersonWithPasswordAsync("boss", "admin");
        var member = await PersonWithPasswordAsync("member");
        var outsider = await PersonWithPasswordAsync("outsider");
        var team = await App.Database.ScalarAsync<int>("INSERT INTO teams (name) VALUES ('Night shift') RETURNING id");
        await App.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1, full_name = 'Member One' WHERE id = $2", team, member.Id);
        await App.Database.ScalarAsync<object>(
            "INSERT INTO employee_photos (employee_id, content_type, bytes, etag, updated_at) VALUES ($1, 'image/png', '\\x89504e47'::bytea, '\"x\"', now()), ($2, 'image/png', '\\x89504e47'::bytea, '\"y\"', now())",
            member.Id, outsider.Id);
        await SetPinAsync(member, "1357");
        await SetPinAsync(outsider, "1357");
        var kiosk = await RegisterKioskAsync(admin, "Night door", team);

        using var self = await Client.SendAsync(HttpMethod.Get, "/kiosk", kiosk);
        var body = await self.JsonAsync();
        Assert.Equal("Night shift", body.GetProperty("team").GetString());
        var person = Assert.Single(body.GetProperty("people").EnumerateArray());
        Assert.Equal("member", person.GetProperty("username").GetString());
        Assert.True(person.GetProperty("has_photo").GetBoolean());

        using var memberPhoto = await Client.SendAsync(HttpMethod.Get, $"/kiosk/photos/{member.Id}", kiosk);
        Assert.Equal(HttpStatusCode.OK, memberPhoto.StatusCode);
        Assert.Equal("image/png", memberPhoto.Content.Headers.ContentType?.MediaType);
        using var outsiderPhoto = await Client.SendAsync(HttpMethod.Get, $"/kiosk/photos/{outsider.Id}", kiosk);
        await outsiderPhoto.AssertProblemAsync(HttpStatusCode.NotFound);

        using var outsiderPunch = await KioskPunchAsync(kiosk, new { username = "outsider", pin = "1357" });
        Assert.Contains("one team's members", await outsiderPunch.AssertProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        using var memberPunch = await KioskPunchAsync(kiosk, new { username = "member", pin = "1357" });
        Assert.Equal(HttpStatusCode.Created, memberPunch.StatusCode);
        Assert.Empty(await StoredActionsAsync(outsider.Id));

        // A kiosk with no team shows the photo of whoever just punched at it, and nobody else's.
        var open = await RegisterKioskAsync(admin, "Lobby");
        using var before = await Client.SendAsync(HttpMethod.Get, $"/kiosk/photos/{outsider.Id}", open);
        await before.AssertProblemAsync(HttpStatusCode.NotFound);
        using var punched = await KioskPunchAsync(open, new { username = "outsider", pin = "1357" });
        Assert.Equal(HttpStatusCode.Created, punched.StatusCode);
        using var after = await Client.SendAsync(HttpMethod.Get, $"/kiosk/photos/{outsider.Id}", open);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Bad_kiosk_requests_get_a_clear_answer_and_write_nothing()
    {
        var admin = await PersonWithPasswordAsync("boss", "admin");
        var emp = await PersonWithPasswordAsync("emp2");
        await SetPinAsync(emp, "1234");
        var kiosk = await RegisterKioskAsync(admin);

        (object? Body, HttpStatusCode Status, string Says)[] cases =
        [
            (new { pin = "1234" }, HttpStatusCode.BadRequest, "username"),
            (new { username = "emp2" }, HttpStatusCode.BadRequest, "pin"),
            (new { username = "emp2", pin = "12" }, HttpStatusCode.BadRequest, "4–8 digits"),
            (new { username = "emp2", pin = 1234 }, HttpStatusCode.BadRequest, "pin"),
            (new { username = "emp2", pin = "1234", action = "lunch" }, HttpStatusCode.BadRequest, "action"),
            (new { username = new string('a', 500), pin = "1234" }, HttpStatusCode.BadRequest, "username"),
            (new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, ""),
        ];
        foreach (var (body, status, says) in cases)
        {
            using var response = await KioskPunchAsync(kiosk, body!);
            Assert.Contains(says, await response.AssertProblemAsync(status), StringComparison.Ordinal);
        }

        foreach (var token in new[] { "kiosk_made-up", "Basic abc", "" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/kiosk/punch") { Content = System.Net.Http.Json.JsonContent.Create(new { username = "emp2", pin = "1234" }) };
            request.Headers.TryAddWithoutValidation("Authorization", token.StartsWith("Basic", StringComparison.Ordinal) ? token : "Bearer " + token);
            using var response = await Client.SendAsync(request);
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var bodyless = await Client.SendAsync(HttpMethod.Post, "/kiosks", admin.Token, new { name = "  " });
        await bodyless.AssertProblemAsync(HttpStatusCode.BadRequest);
        using var noTeam = await Client.SendAsync(HttpMethod.Post, "/kiosks", admin.Token, new { name = "x", team_id = 999 });
        Assert.Contains("team", await noTeam.AssertProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(await StoredActionsAsync(emp.Id));
        Assert.Equal(0, await App.Database.ScalarAsync<long>("SELECT count(*) FROM login_throttles WHERE key LIKE 'pin:%'"));
    }
}
