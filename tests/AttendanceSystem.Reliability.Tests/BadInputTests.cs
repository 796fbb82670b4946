using System.Text;
using AttendanceSystem.Protos;
using Xunit.Abstractions;
using static AttendanceSystem.Reliability.Tests.Probes;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>
/// A corpus of bad input across REST, gRPC and WebSocket. Every answer is a 4xx with problem details,
/// the right gRPC status or the right handshake status; never a 5xx; the services stay healthy;
/// nothing is written; no password or token reaches a log.
/// </summary>
public sealed class BadInputTests(RunningSystem system, ITestOutputHelper output) : IClassFixture<RunningSystem>
{
    private static readonly string[] GrpcRefusals = ["InvalidArgument", "Unauthenticated", "PermissionDenied", "NotFound", "ResourceExhausted"];

    [Fact]
    public async Task The_bad_input_corpus_gets_clear_refusals_and_changes_nothing()
    {
        var emp = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        const string Password = "corpus-secret-password";
        var other = await system.CreatePersonAsync();
        var othersRecord = await system.Database.ScalarAsync<long>("INSERT INTO attendance_records (employee_id, action) VALUES ($1, 'in') RETURNING id", other.Id);
        var manager = await system.CreatePersonAsync("manager");

        // A team with a member and a schedule someone follows, so "in use" and "duplicate" have something to refuse.
        var team = await system.Database.ScalarAsync<int>("INSERT INTO teams (name, manager_id) VALUES ($1, $2) RETURNING id", $"Corpus {manager.Id}", manager.Id);
        var schedule = await system.Database.ScalarAsync<int>(
            "INSERT INTO schedules (name, time_zone, grace_minutes, days) VALUES ($1, 'UTC', 0, '{}') RETURNING id", $"Corpus {manager.Id}");
        await system.Database.ScalarAsync<object>("UPDATE employees SET team_id = $1, schedule_id = $2 WHERE id = $3", team, schedule, other.Id);
        await system.Database.ScalarAsync<object>("INSERT INTO holidays (date, name) VALUES ('2099-01-01', 'Corpus') ON CONFLICT DO NOTHING");
        const string WrittenByCorrections =
            "SELECT (SELECT count(*) FROM corrections) + (SELECT count(*) FROM notifications) + (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM closed_periods) + (SELECT count(*) FROM employee_photos)"
            + " + (SELECT count(*) FROM teams) + (SELECT count(*) FROM schedules) + (SELECT count(*) FROM holidays)";
        const string Assignments = "SELECT string_agg(concat(id, ':', role, ':', team_id, ':', schedule_id), ',' ORDER BY id) FROM employees";
        var assignmentsBefore = await system.Database.ScalarAsync<string>(Assignments);
        var correctionRowsBefore = await system.Database.ScalarAsync<long>(WrittenByCorrections);
        var employeesBefore = await system.Database.ScalarAsync<long>("SELECT count(*) FROM employees");
        // Sessions to refuse: someone else's, an expired one and an ended one (refresh tokens are SHA-256 hashed at rest).
        string Session(int employeeId, string expiresIn, bool revoked)
        {
            var raw = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            var token = System.Buffers.Text.Base64Url.EncodeToString(raw);
            var session = Guid.NewGuid();
            system.Database.ScalarAsync<object>(
                "INSERT INTO sessions (id, employee_id, revoked_at, revoked_reason) VALUES ($1, $2, CASE WHEN $3 THEN now() END, CASE WHEN $3 THEN 'logged out' END)",
                session, employeeId, revoked).GetAwaiter().GetResult();
            system.Database.ScalarAsync<object>(
                "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, now() + $3::interval)",
                System.Security.Cryptography.SHA256.HashData(raw), session, expiresIn).GetAwaiter().GetResult();
            return token;
        }

        var othersRefresh = Session(other.Id, "1 day", revoked: false);
        var expiredRefresh = Session(emp.Id, "-1 minute", revoked: false);
        var endedRefresh = Session(emp.Id, "1 day", revoked: true);
        const string SessionState = "SELECT string_agg(concat(id, ':', revoked_at IS NULL, ':', (SELECT count(*) FROM refresh_tokens t WHERE t.session_id = s.id AND t.used_at IS NULL)), ',' ORDER BY id) FROM sessions s";
        var sessionsBefore = await system.Database.ScalarAsync<string>(SessionState);
        var huge = new string('x', 100 * 1024);
        var invalidUtf8 = new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D };
        string Register(string json) => json;

        var cases = new List<(string Name, Func<Task<string>> Ask)>();
        void Rest(string name, HttpClient client, HttpMethod method, string path, string? token, object? body = null, Action<HttpRequestMessage>? adjust = null) =>
            cases.Add((name, () => HttpAsync(client, method, path, token, body, adjust)));

        // auth: registration and login bodies
        foreach (var (name, json) in new[]
        {
            ("truncated object", "{"), ("truncated value", "{\"username\":"), ("empty body", ""), ("null", "null"), ("array", "[]"),
            ("string", "\"emp\""), ("number", "123"), ("username a number", $"{{\"username\":5,\"password\":\"{Password}\"}}"),
            ("password a number", "{\"username\":\"emp-num\",\"password\":12345678}"), ("username an array", $"{{\"username\":[\"a\"],\"password\":\"{Password}\"}}"),
            ("operator object", $"{{\"username\":{{\"$ne\":null}},\"password\":\"{Password}\"}}"),
            ("SQL injection", $"{{\"username\":\"robert'); DROP TABLE employees;--\",\"password\":\"{Password}\"}}"),
            ("script tag", $"{{\"username\":\"<script>alert(1)</script>\",\"password\":\"{Password}\"}}"),
            ("NUL in username", $"{{\"username\":\"a\\u0000b\",\"password\":\"{Password}\"}}"),
            ("unknown field", $"{{\"username\":\"emp-x\",\"password\":\"{Password}\",\"role\":\"admin\"}}"),
            ("missing password", "{\"username\":\"emp-x\"}"), ("missing everything", "{}"),
            ("10k username", $"{{\"username\":\"{new string('a', 10_000)}\",\"password\":\"{Password}\"}}"),
            ("short password", "{\"username\":\"emp-short\",\"password\":\"short\"}"),
            ("lone surrogate", "{\"username\":\"emp-s\",\"password\":\"\\ud800xxxxxxxx\"}"),
        })
        {
            Rest("register: " + name, system.Auth, HttpMethod.Post, "/register", null, Raw(Register(json)));
        }

        Rest("register: 100 KiB body", system.Auth, HttpMethod.Post, "/register", null, Raw($"{{\"username\":\"emp-big\",\"password\":\"{huge}\"}}"));
        Rest("register: invalid UTF-8", system.Auth, HttpMethod.Post, "/register", null, RawBytes(invalidUtf8));
        Rest("register: form body", system.Auth, HttpMethod.Post, "/register", null, new StringContent("username=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Rest("login: SQL injection", system.Auth, HttpMethod.Post, "/login", null, Raw($"{{\"username\":\"' OR '1'='1\",\"password\":\"{Password}\"}}"));
        Rest("login: wrong types", system.Auth, HttpMethod.Post, "/login", null, Raw("{\"username\":true,\"password\":[]}"));
        Rest("login: 40 KiB header", system.Auth, HttpMethod.Post, "/login", null, Raw("{}"), r => r.Headers.Add("X-Filler", new string('h', 40 * 1024)));
        // sessions: refresh and logout
        foreach (var (name, json) in new[]
        {
            ("garbage", "{\"refresh_token\":\"not-a-token\"}"), ("unknown but well-formed", $"{{\"refresh_token\":\"{new string('A', 43)}\"}}"),
            ("a number", "{\"refresh_token\":5}"), ("truncated", "{\"refresh_token\":"), ("expired", $"{{\"refresh_token\":\"{expiredRefresh}\"}}"),
            ("of an ended session", $"{{\"refresh_token\":\"{endedRefresh}\"}}"), ("unknown field", "{\"refresh_token\":null,\"user\":1}"),
            ("10k token", $"{{\"refresh_token\":\"{new string('r', 10_000)}\"}}"),
        })
        {
            Rest("refresh: " + name, system.Auth, HttpMethod.Post, "/token/refresh", null, Raw(json));
        }

        Rest("refresh: nothing at all", system.Auth, HttpMethod.Post, "/token/refresh", null);
        Rest("refresh: another user's token", system.Auth, HttpMethod.Post, "/token/refresh", emp.Token, Raw($"{{\"refresh_token\":\"{othersRefresh}\"}}"));
        Rest("refresh: 6 KiB cookie", system.Auth, HttpMethod.Post, "/token/refresh", null, null, r => r.Headers.Add("Cookie", "refresh_token=" + new string('c', 6 * 1024)));
        Rest("refresh: 40 KiB cookie", system.Auth, HttpMethod.Post, "/token/refresh", null, null, r => r.Headers.Add("Cookie", "refresh_token=" + new string('c', 40 * 1024)));
        Rest("logout: garbage", system.Auth, HttpMethod.Post, "/logout", null, Raw("{\"refresh_token\":\"garbage\"}"));
        Rest("logout: an ended session (twice)", system.Auth, HttpMethod.Post, "/logout", null, Raw($"{{\"refresh_token\":\"{endedRefresh}\"}}"));
        Rest("logout: nothing", system.Auth, HttpMethod.Post, "/logout", null);
        Rest("logout: a token without a session", system.Auth, HttpMethod.Post, "/logout", emp.Token);
        Rest("login: a PIN instead of a password", system.Auth, HttpMethod.Post, "/login", null, Raw("{\"username\":\"someone\",\"pin\":\"1234\"}"));
        Rest("login: spoofed X-Forwarded-For", system.Auth, HttpMethod.Post, "/login", null, Raw($"{{\"username\":\"nobody-here\",\"password\":\"{Password}\"}}"),
            r => r.Headers.Add("X-Forwarded-For", "203.0.113.9"));
        Rest("me/password: missing fields", system.Auth, HttpMethod.Post, "/me/password", emp.Token, Raw("{}"));
        Rest("me/password: wrong current", system.Auth, HttpMethod.Post, "/me/password", emp.Token, Raw($"{{\"current_password\":\"nope-nope\",\"new_password\":\"{Password}\"}}"));
        foreach (var query in new[] { "limit=-1", "limit=0", "limit=abc", "limit=1e9", "limit=99999999999999999999", "after=-1", "after=x" })
        {
            Rest("employees?" + query, system.Auth, HttpMethod.Get, "/employees?" + query, emp.Token);
        }

        foreach (var id in new[] { "abc", "-1", "0", "2147483648", "1.5" })
        {
            Rest($"role of employee {id}", system.Auth, HttpMethod.Put, $"/employees/{id}/role", admin.Token, new { role = "admin" });
        }

        Rest("role: unknown role", system.Auth, HttpMethod.Put, $"/employees/{emp.Id}/role", admin.Token, new { role = "root" });
        Rest("role: array body", system.Auth, HttpMethod.Put, $"/employees/{emp.Id}/role", admin.Token, Raw("[]"));
        Rest("deactivate unknown", system.Auth, HttpMethod.Post, "/employees/987654/deactivate", admin.Token);

        // attendance: punches
        foreach (var (name, json) in new[]
        {
            ("action upper case", "{\"action\":\"IN\"}"), ("action empty", "{\"action\":\"\"}"), ("action null", "{\"action\":null}"),
            ("action a number", "{\"action\":1}"), ("first punch out", "{\"action\":\"out\"}"), ("timestamp words", "{\"action\":\"in\",\"timestamp\":\"not a time\"}"),
            ("timestamp impossible", "{\"action\":\"in\",\"timestamp\":\"2026-13-45T99:99:99Z\"}"), ("timestamp a number", "{\"action\":\"in\",\"timestamp\":12345}"),
            ("timestamp year 1", "{\"action\":\"in\",\"timestamp\":\"0001-01-01T00:00:00Z\"}"), ("timestamp year 9999", "{\"action\":\"in\",\"timestamp\":\"9999-12-31T23:59:59Z\"}"),
            ("timestamp beyond range", "{\"action\":\"in\",\"timestamp\":\"+275760-09-13T00:00:00Z\"}"), ("timestamp without zone", "{\"action\":\"in\",\"timestamp\":\"2026-11-24T10:00:00\"}"),
            ("truncated", "{\"action\":"), ("unknown field", "{\"action\":\"in\",\"employee_id\":1}"), ("script", "{\"action\":\"<script>\"}"),
        })
        {
            Rest("punch: " + name, system.Attendance, HttpMethod.Post, "/attendance", emp.Token, Raw(json));
        }

        Rest("punch: 100 KiB body", system.Attendance, HttpMethod.Post, "/attendance", emp.Token, Raw($"{{\"action\":\"{huge}\"}}"));
        Rest("punch: invalid UTF-8", system.Attendance, HttpMethod.Post, "/attendance", emp.Token, RawBytes(invalidUtf8));
        Rest("punch: 200-char key", system.Attendance, HttpMethod.Post, "/attendance", emp.Token, new { action = "in" }, r => r.Headers.Add("Idempotency-Key", new string('k', 200)));
        Rest("punch: key with spaces", system.Attendance, HttpMethod.Post, "/attendance", emp.Token, new { action = "in" }, r => r.Headers.TryAddWithoutValidation("Idempotency-Key", "a b c"));
        foreach (var (name, json) in new[]
        {
            ("offline without time", "{\"action\":\"in\",\"source\":\"offline\"}"), ("source kiosk", "{\"action\":\"in\",\"source\":\"kiosk\"}"),
            ("source a number", "{\"action\":\"in\",\"source\":3}"), ("offline in the future", "{\"action\":\"in\",\"source\":\"offline\",\"timestamp\":\"2099-01-01T00:00:00Z\"}"),
        })
        {
            Rest("punch: " + name, system.Attendance, HttpMethod.Post, "/attendance", emp.Token, Raw(json));
        }

        // kiosks: a registered kiosk (its token known here), and PINs
        const string KioskToken = "kiosk_corpus-token-0123456789abcdef0123456789abcdef";
        await system.Database.ScalarAsync<object>("INSERT INTO kiosks (name, token_hash, created_by) VALUES ('Corpus door', $1, $2)",
            System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(KioskToken)), admin.Id);
        foreach (var (name, json) in new[]
        {
            ("pin letters", "{\"username\":\"someone\",\"pin\":\"12ab\"}"), ("pin too short", "{\"username\":\"someone\",\"pin\":\"12\"}"),
            ("pin a number", "{\"username\":\"someone\",\"pin\":1234}"), ("username an array", "{\"username\":[\"a\"],\"pin\":\"1234\"}"),
            ("username SQL", "{\"username\":\"' OR 1=1--\",\"pin\":\"1234\"}"), ("action lunch", "{\"username\":\"someone\",\"pin\":\"1234\",\"action\":\"lunch\"}"),
            ("truncated", "{\"username\":"), ("missing everything", "{}"), ("unknown person", "{\"username\":\"nobody-at-all\",\"pin\":\"1234\"}"),
        })
        {
            Rest("kiosk punch: " + name, system.Attendance, HttpMethod.Post, "/kiosk/punch", KioskToken, Raw(json));
        }

        Rest("kiosk punch: 100 KiB body", system.Attendance, HttpMethod.Post, "/kiosk/punch", KioskToken, Raw($"{{\"username\":\"{huge}\",\"pin\":\"1234\"}}"));
        Rest("kiosk punch: no token", system.Attendance, HttpMethod.Post, "/kiosk/punch", null, Raw("{\"username\":\"someone\",\"pin\":\"1234\"}"));
        Rest("kiosk punch: made-up token", system.Attendance, HttpMethod.Post, "/kiosk/punch", "kiosk_made-up", Raw("{\"username\":\"someone\",\"pin\":\"1234\"}"));
        Rest("kiosk punch: a person's JWT", system.Attendance, HttpMethod.Post, "/kiosk/punch", emp.Token, Raw("{\"username\":\"someone\",\"pin\":\"1234\"}"));
        Rest("kiosk photo: unknown person", system.Attendance, HttpMethod.Get, "/kiosk/photos/987654", KioskToken);
        Rest("kiosks: blank name", system.Attendance, HttpMethod.Post, "/kiosks", admin.Token, Raw("{\"name\":\"   \"}"));
        Rest("kiosks: team a string", system.Attendance, HttpMethod.Post, "/kiosks", admin.Token, Raw("{\"name\":\"x\",\"team_id\":\"one\"}"));
        Rest("kiosks: by an employee", system.Attendance, HttpMethod.Post, "/kiosks", emp.Token, Raw("{\"name\":\"mine\"}"));
        Rest("kiosks: revoke unknown", system.Attendance, HttpMethod.Delete, "/kiosks/987654", admin.Token);
        Rest("me/pin: nine digits", system.Attendance, HttpMethod.Put, "/me/pin", emp.Token, Raw($"{{\"current_password\":\"{Password}\",\"pin\":\"123456789\"}}"));
        Rest("me/pin: no password", system.Attendance, HttpMethod.Put, "/me/pin", emp.Token, Raw("{\"pin\":\"1234\"}"));
        Rest("me/pin: wrong password", system.Attendance, HttpMethod.Put, "/me/pin", emp.Token, Raw("{\"current_password\":\"nope-nope\",\"pin\":\"1234\"}"));
        foreach (var date in new[] { "2026-02-30", "yesterday", "2026-1-1", "%27%20OR%201%3D1--", "1999-12-31", "10000-01-01" })
        {
            Rest("day: date " + date, system.Attendance, HttpMethod.Get, $"/attendance/{emp.Id}?date={date}", emp.Token);
        }

        foreach (var id in new[] { "abc", "-1", "0", "99999999999" })
        {
            Rest("day: employee " + id, system.Attendance, HttpMethod.Get, $"/attendance/{id}", admin.Token);
        }

        Rest("summary: from after to", system.Attendance, HttpMethod.Get, $"/attendance/{emp.Id}/summary?from=2026-11-10&to=2026-11-01", emp.Token);
        Rest("summary: ten years", system.Attendance, HttpMethod.Get, $"/attendance/{emp.Id}/summary?from=2016-01-01&to=2026-01-01", emp.Token);
        Rest("summary: another's", system.Attendance, HttpMethod.Get, $"/attendance/{admin.Id}/summary", emp.Token);
        Rest("export: bad date", system.Attendance, HttpMethod.Get, "/attendance/export.csv?from=soon", admin.Token);

        // gRPC
        void Grpc(string name, Func<Task<string>> ask) => cases.Add(("gRPC " + name, ask));
        Grpc("List: negative id", () => ListAsync(system, new ListRequest { Jwt = emp.Token, EmployeeId = -5 }));
        Grpc("List: from words", () => ListAsync(system, new ListRequest { Jwt = emp.Token, From = "garbage" }));
        Grpc("List: impossible to", () => ListAsync(system, new ListRequest { Jwt = emp.Token, To = "2026-99-99" }));
        Grpc("List: unknown employee", () => ListAsync(system, new ListRequest { Jwt = admin.Token, EmployeeId = 987654 }));
        Grpc("List: another's", () => ListAsync(system, new ListRequest { Jwt = emp.Token, EmployeeId = admin.Id }));
        Grpc("List: a manager asking about an outsider", () => ListAsync(system, new ListRequest { Jwt = manager.Token, EmployeeId = emp.Id }));
        // Just under the 64 KiB message limit: over it, how the refused upload ends is up to HTTP/2 timing.
        Grpc("List: 60 KiB token", () => ListAsync(system, new ListRequest { Jwt = new string('x', 60 * 1024) }));
        foreach (var cursor in new[] { "abc", "1.", ".1", "-1.-1", "99999999999999999999999.1", "1.2.3", "' OR 1=1" })
        {
            Grpc($"StreamNew: cursor {cursor}", () => StreamNewAsync(system, new StreamRequest { Jwt = emp.Token, After = cursor }));
        }

        // attendance: corrections, notifications, audit
        var recent = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, json, token) in new[]
        {
            ("no reason", $"{{\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"{recent}\"}}", emp.Token),
            ("short reason", $"{{\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"{recent}\",\"reason\":\"x\"}}", emp.Token),
            ("long reason", $"{{\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"{recent}\",\"reason\":\"{new string('r', 501)}\"}}", emp.Token),
            ("unknown kind", "{\"kind\":\"undo\",\"reason\":\"because\"}", emp.Token),
            ("void of another's record", $"{{\"kind\":\"void\",\"record_id\":{othersRecord},\"reason\":\"not mine\"}}", emp.Token),
            ("void of an unknown record", "{\"kind\":\"void\",\"record_id\":987654321,\"reason\":\"ghost\"}", emp.Token),
            ("add in the future", "{\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"2999-01-01T00:00:00Z\",\"reason\":\"later\"}", emp.Token),
            ("add older than CORRECTION_MAX_DAYS", "{\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"2001-01-01T00:00:00Z\",\"reason\":\"long ago\"}", emp.Token),
            ("record_id a string", "{\"kind\":\"void\",\"record_id\":\"7\",\"reason\":\"because\"}", emp.Token),
            ("apply by an employee", $"{{\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"{recent}\",\"reason\":\"trust me\",\"apply\":true}}", emp.Token),
            ("for someone else", $"{{\"employee_id\":{other.Id},\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"{recent}\",\"reason\":\"helping\"}}", emp.Token),
            ("for an unknown employee", $"{{\"employee_id\":987654,\"kind\":\"add\",\"action\":\"in\",\"timestamp\":\"{recent}\",\"reason\":\"ghost\"}}", admin.Token),
            ("truncated", "{\"kind\":", emp.Token),
        })
        {
            Rest("correction: " + name, system.Attendance, HttpMethod.Post, "/attendance/corrections", token, Raw(json));
        }

        Rest("correction: approve unknown", system.Attendance, HttpMethod.Post, "/attendance/corrections/987654/approve", admin.Token, Raw("{}"));
        Rest("correction: approve id abc", system.Attendance, HttpMethod.Post, "/attendance/corrections/abc/approve", admin.Token, Raw("{}"));
        Rest("correction: reject with a 501-char note", system.Attendance, HttpMethod.Post, "/attendance/corrections/1/reject", admin.Token, Raw($"{{\"note\":\"{new string('n', 501)}\"}}"));
        Rest("correction: note a number", system.Attendance, HttpMethod.Post, "/attendance/corrections/1/reject", admin.Token, Raw("{\"note\":5}"));
        foreach (var query in new[] { "status=maybe", "employee_id=-1", "limit=0", "after=x" })
        {
            Rest("corrections?" + query, system.Attendance, HttpMethod.Get, "/attendance/corrections?" + query, emp.Token);
        }

        Rest("notification: read id abc", system.Attendance, HttpMethod.Post, "/notifications/abc/read", emp.Token);
        Rest("notification: read someone's", system.Attendance, HttpMethod.Post, "/notifications/987654/read", emp.Token);
        Rest("notifications?limit=0", system.Attendance, HttpMethod.Get, "/notifications?limit=0", emp.Token);
        foreach (var month in new[] { "2026-13", "26-01", "november", "1999-12", "2026-11-01", "%27%20OR%201%3D1" })
        {
            Rest("period: close " + month, system.Attendance, HttpMethod.Post, $"/periods/{month}/close", admin.Token);
        }

        Rest("period: close by an employee", system.Attendance, HttpMethod.Post, "/periods/2020-01/close", emp.Token);
        Rest("period: close the current month", system.Attendance, HttpMethod.Post, $"/periods/{DateTime.UtcNow:yyyy-MM}/close", admin.Token);
        Rest("period: reopen an open month", system.Attendance, HttpMethod.Post, "/periods/2020-01/reopen", admin.Token);
        foreach (var query in new[] { "month=2026-13", "month=26-01", "month=2026-11&calendar=julian", "month=2026-11&calendar=persian",
            "month=2026-11&format=pdf", "month=2026-11&team_id=0", "month=2026-11&team_id=abc" })
        {
            Rest("report?" + query, system.Attendance, HttpMethod.Get, "/reports/monthly?" + query, admin.Token);
        }

        Rest("report: by an employee", system.Attendance, HttpMethod.Get, "/reports/monthly?month=2026-10", emp.Token);
        Rest("people: create by an employee", system.Auth, HttpMethod.Post, "/employees", emp.Token, Raw("{\"username\":\"friend\"}"));
        Rest("people: bad email", system.Auth, HttpMethod.Patch, $"/employees/{emp.Id}", emp.Token, Raw("{\"email\":\"Name <a@example.org>\"}"));
        Rest("people: full name a number", system.Auth, HttpMethod.Patch, $"/employees/{emp.Id}", emp.Token, Raw("{\"full_name\":5}"));
        Rest("people: someone else's profile", system.Auth, HttpMethod.Patch, $"/employees/{admin.Id}", emp.Token, Raw("{\"full_name\":\"x\"}"));
        Rest("people: active=maybe", system.Auth, HttpMethod.Get, "/employees?active=maybe", emp.Token);
        Rest("photo: not an image", system.Auth, HttpMethod.Put, $"/employees/{emp.Id}/photo", emp.Token,
            new ByteArrayContent("<svg onload=alert(1)>"u8.ToArray()) { Headers = { ContentType = new("image/png") } });
        Rest("photo: someone else's", system.Auth, HttpMethod.Put, $"/employees/{admin.Id}/photo", emp.Token,
            new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { Headers = { ContentType = new("image/png") } });
        Rest("photo: none", system.Auth, HttpMethod.Get, $"/employees/{emp.Id}/photo", emp.Token);
        foreach (var (name, json) in new[]
        {
            ("unknown zone", "{\"name\":\"S\",\"time_zone\":\"Mars/Olympus\",\"grace_minutes\":0,\"days\":{}}"),
            ("Windows zone name", "{\"name\":\"S\",\"time_zone\":\"Iran Standard Time\",\"grace_minutes\":0,\"days\":{}}"),
            ("time 8:00", "{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":{\"sat\":{\"start\":\"8:00\",\"end\":\"16:00\"}}}"),
            ("time 25:00", "{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":{\"sat\":{\"start\":\"08:00\",\"end\":\"25:00\"}}}"),
            ("time a number", "{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":{\"sat\":{\"start\":800,\"end\":\"16:00\"}}}"),
            ("day funday", "{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":{\"funday\":{\"start\":\"08:00\",\"end\":\"16:00\"}}}"),
            ("days an array", "{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":[]}"),
            ("grace -1", "{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":-1,\"days\":{}}"),
            ("grace 241", "{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":241,\"days\":{}}"),
            ("duplicate name", $"{{\"name\":\"corpus {manager.Id}\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":{{}}}}"),
        })
        {
            Rest("schedule: " + name, system.Attendance, HttpMethod.Post, "/schedules", admin.Token, Raw(json));
        }

        Rest("schedule: by an employee", system.Attendance, HttpMethod.Post, "/schedules", emp.Token, Raw("{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":{}}"));
        Rest("schedule: delete one in use", system.Attendance, HttpMethod.Delete, $"/schedules/{schedule}", admin.Token);
        Rest("schedule: replace an unknown one", system.Attendance, HttpMethod.Put, "/schedules/987654", admin.Token, Raw("{\"name\":\"S\",\"time_zone\":\"UTC\",\"grace_minutes\":0,\"days\":{}}"));
        Rest("holiday: 2026-02-30", system.Attendance, HttpMethod.Post, "/holidays", admin.Token, Raw("{\"date\":\"2026-02-30\",\"name\":\"x\"}"));
        Rest("holiday: no name", system.Attendance, HttpMethod.Post, "/holidays", admin.Token, Raw("{\"date\":\"2099-01-02\"}"));
        Rest("holiday: twice", system.Attendance, HttpMethod.Post, "/holidays", admin.Token, Raw("{\"date\":\"2099-01-01\",\"name\":\"again\"}"));
        Rest("holiday: by an employee", system.Attendance, HttpMethod.Delete, "/holidays/2099-01-01", emp.Token);
        Rest("holidays?year=1999", system.Attendance, HttpMethod.Get, "/holidays?year=1999", emp.Token);
        Rest("team: duplicate name", system.Auth, HttpMethod.Post, "/teams", admin.Token, Raw($"{{\"name\":\"CORPUS {manager.Id}\"}}"));
        Rest("team: manager who is an employee", system.Auth, HttpMethod.Post, "/teams", admin.Token, Raw($"{{\"name\":\"New\",\"manager_id\":{emp.Id}}}"));
        Rest("team: manager who does not exist", system.Auth, HttpMethod.Post, "/teams", admin.Token, Raw("{\"name\":\"New\",\"manager_id\":987654}"));
        Rest("team: name a number", system.Auth, HttpMethod.Post, "/teams", admin.Token, Raw("{\"name\":5}"));
        Rest("team: delete one with members", system.Auth, HttpMethod.Delete, $"/teams/{team}", admin.Token);
        Rest("team: create by a manager", system.Auth, HttpMethod.Post, "/teams", manager.Token, Raw("{\"name\":\"Mine\"}"));
        Rest("people: demote a team's manager", system.Auth, HttpMethod.Put, $"/employees/{manager.Id}/role", admin.Token, Raw("{\"role\":\"employee\"}"));
        Rest("people: role boss", system.Auth, HttpMethod.Put, $"/employees/{emp.Id}/role", admin.Token, Raw("{\"role\":\"boss\"}"));
        Rest("people: unknown team", system.Auth, HttpMethod.Patch, $"/employees/{emp.Id}", admin.Token, Raw("{\"team_id\":987654}"));
        Rest("people: own team", system.Auth, HttpMethod.Patch, $"/employees/{emp.Id}", emp.Token, Raw($"{{\"team_id\":{team}}}"));
        Rest("report: persian 1405-13", system.Attendance, HttpMethod.Get, "/reports/monthly?month=1405-13&calendar=persian", admin.Token);
        Rest("report: another team by a manager", system.Attendance, HttpMethod.Get, "/reports/monthly?month=2026-10&team_id=987654", manager.Token);
        Rest("summary: over 366 days", system.Attendance, HttpMethod.Get, $"/attendance/{emp.Id}/summary?from=2024-01-01&to=2025-12-31", emp.Token);
        Rest("manager: outsider's history", system.Attendance, HttpMethod.Get, $"/attendance/{emp.Id}", manager.Token);
        Rest("manager: outsider's summary", system.Attendance, HttpMethod.Get, $"/attendance/{emp.Id}/summary", manager.Token);
        Rest("audit: by an employee", system.Attendance, HttpMethod.Get, "/audit", emp.Token);
        Rest("audit: verify by an employee", system.Attendance, HttpMethod.Get, "/audit/verify", emp.Token);
        Rest("audit: bad from", system.Attendance, HttpMethod.Get, "/audit?from=last-week", admin.Token);
        Rest("audit: negative employee", system.Attendance, HttpMethod.Get, "/audit?employee_id=-1", admin.Token);

        // WebSocket
        void Socket(string name, string query, string? origin = null) => cases.Add(("WebSocket " + name, () => SocketAsync(system, query, origin)));
        Socket("bad cursor", $"?token={emp.Token}&after=garbage");
        Socket("cursor with three parts", $"?token={emp.Token}&after=1.2.3");
        Socket("no token", "");
        Socket("empty token", "?token=");
        Socket("foreign origin", $"?token={emp.Token}", "http://evil.example");
        cases.Add(("WebSocket plain HTTP", async () =>
        {
            using var client = new HttpClient();
            using var response = await client.GetAsync($"http://127.0.0.1:{system.ReporterPort}/ws?token={emp.Token}");
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }));

        var answers = new List<(string Name, string Answer)>();
        foreach (var (name, ask) in cases)
        {
            answers.Add((name, await ask()));
        }

        foreach (var (name, answer) in answers)
        {
            Assert.False(IsServerError(answer), $"{name}: {answer}");
            Assert.True(answer.StartsWith('4') || GrpcRefusals.Contains(answer), $"{name}: {answer}");
        }

        // Still healthy, nothing written, nothing secret logged.
        foreach (var process in system.Processes)
        {
            Assert.False(process.HasExited, process.Name + " stopped");
            using var client = new HttpClient();
            Assert.True((await client.GetAsync($"http://127.0.0.1:{process.Port}/health/ready")).IsSuccessStatusCode, process.Name + " is not ready");
        }

        Assert.Equal(employeesBefore, await system.Database.ScalarAsync<long>("SELECT count(*) FROM employees"));
        Assert.Equal(0L, await system.Database.ScalarAsync<long>("SELECT count(*) FROM attendance_records WHERE employee_id IN ($1, $2)", emp.Id, admin.Id));
        Assert.Equal(correctionRowsBefore, await system.Database.ScalarAsync<long>(WrittenByCorrections));
        Assert.Equal(1L, await system.Database.ScalarAsync<long>("SELECT count(*) FROM kiosks"));
        Assert.Equal(0L, await system.Database.ScalarAsync<long>("SELECT count(*) FROM employees WHERE pin_hash IS NOT NULL"));
        Assert.Equal(assignmentsBefore, await system.Database.ScalarAsync<string>(Assignments));
        Assert.Equal(sessionsBefore, await system.Database.ScalarAsync<string>(SessionState));
        // Not a configured proxy: its X-Forwarded-For was not believed.
        Assert.Equal(0L, await system.Database.ScalarAsync<long>("SELECT count(*) FROM login_throttles WHERE key = 'addr:203.0.113.9'"));
        await Task.Delay(300); // request log lines are written as requests end
        var log = system.Log;
        Assert.Contains("/attendance", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
        Assert.DoesNotContain(emp.Token.Split('.')[2], log, StringComparison.Ordinal);
        Assert.DoesNotContain(admin.Token.Split('.')[2], log, StringComparison.Ordinal);
        Assert.True(cases.Count >= 60, $"only {cases.Count} cases");
        var figure = $"bad-input corpus: {cases.Count} cases tried, 0 server errors, services healthy, 0 partial records";
        output.WriteLine(figure);
        Figures.Report(figure);
    }
}
