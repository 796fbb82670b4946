using AttendanceSystem.Protos;
using AttendanceSystem.Testing;
using Xunit.Abstractions;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>Forged, stale and revoked tokens are refused by every service; nobody sees another's data.</summary>
public sealed class SecurityTests(RunningSystem system, ITestOutputHelper output) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task Every_bad_token_is_refused_by_all_three_services()
    {
        var emp = await system.CreatePersonAsync();
        var deactivated = await system.CreatePersonAsync();
        await system.Database.ScalarAsync<object>("UPDATE employees SET active = false WHERE id = $1", deactivated.Id);
        var tokens = new Dictionary<string, string>
        {
            ["garbage"] = "not-a-jwt",
            ["alg none"] = TestTokens.AlgNone(emp.Id),
            ["wrong key"] = TestTokens.Create(secret: "another-secret-of-sufficient-length-0123456789", employeeId: emp.Id),
            ["expired"] = TestTokens.Create(expires: DateTime.UtcNow.AddMinutes(-5), employeeId: emp.Id),
            ["not yet valid"] = TestTokens.Create(notBefore: DateTime.UtcNow.AddMinutes(10), employeeId: emp.Id),
            ["wrong issuer"] = TestTokens.Create(issuer: "someone-else", employeeId: emp.Id),
            ["wrong audience"] = TestTokens.Create(audience: "someone-else", employeeId: emp.Id),
            ["tampered"] = TestTokens.Tampered(emp.Token),
            ["deactivated"] = deactivated.Token,
        };

        var tried = 0;
        foreach (var (kind, token) in tokens.Append(new("none", "")))
        {
            var bearer = token.Length == 0 ? null : token;
            var answers = new Dictionary<string, string>
            {
                ["auth GET /employees"] = await Probes.HttpAsync(system.Auth, HttpMethod.Get, "/employees", bearer),
                ["attendance POST /attendance"] = await Probes.HttpAsync(system.Attendance, HttpMethod.Post, "/attendance", bearer, new { action = "in" }),
                ["attendance GET /attendance/{id}"] = await Probes.HttpAsync(system.Attendance, HttpMethod.Get, $"/attendance/{emp.Id}", bearer),
                ["gRPC List"] = await Probes.ListAsync(system, new ListRequest { Jwt = token }),
                ["gRPC StreamNew"] = await Probes.StreamNewAsync(system, new StreamRequest { Jwt = token }),
                ["WebSocket"] = await Probes.SocketAsync(system, "?token=" + Uri.EscapeDataString(token)),
            };
            foreach (var (surface, answer) in answers)
            {
                tried++;
                Assert.True(answer is "401" or "Unauthenticated", $"{kind} token on {surface}: {answer}");
            }
        }

        Assert.Equal(0L, await system.Database.ScalarAsync<long>("SELECT count(*) FROM attendance_records WHERE employee_id IN ($1, $2)", emp.Id, deactivated.Id));
        Figures.Report($"tokens: {tried} bad-token checks across REST, gRPC and WebSocket, all refused");
        output.WriteLine($"token checks: {tried} tried, all refused");
    }

    [Fact]
    public async Task The_access_matrix_holds_for_employees_admins_and_the_service_token()
    {
        var alice = await system.CreatePersonAsync();
        var bob = await system.CreatePersonAsync();
        var admin = await system.CreatePersonAsync("admin");
        var service = RunningSystem.Issuer.Issue(0, "reporter", "service").Token;
        Assert.Equal("201", await Probes.HttpAsync(system.Attendance, HttpMethod.Post, "/attendance", alice.Token, new { action = "in" }));

        var checks = new (string What, Func<Task<string>> Ask, string[] Allowed)[]
        {
            ("bob reads alice's day", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, $"/attendance/{alice.Id}", bob.Token), ["403"]),
            ("bob reads alice's summary", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, $"/attendance/{alice.Id}/summary", bob.Token), ["403"]),
            ("bob lists alice (gRPC)", () => Probes.ListAsync(system, new ListRequest { Jwt = bob.Token, EmployeeId = alice.Id }), ["PermissionDenied"]),
            ("bob streams alice (gRPC)", () => Probes.StreamNewAsync(system, new StreamRequest { Jwt = bob.Token, EmployeeId = alice.Id }), ["PermissionDenied"]),
            ("bob sees presence", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, "/attendance/presence", bob.Token), ["403"]),
            ("bob exports", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, "/attendance/export.csv", bob.Token), ["403"]),
            ("bob makes himself admin", () => Probes.HttpAsync(system.Auth, HttpMethod.Put, $"/employees/{bob.Id}/role", bob.Token, new { role = "admin" }), ["403"]),
            ("bob deactivates alice", () => Probes.HttpAsync(system.Auth, HttpMethod.Post, $"/employees/{alice.Id}/deactivate", bob.Token), ["403"]),
            ("service punches", () => Probes.HttpAsync(system.Attendance, HttpMethod.Post, "/attendance", service, new { action = "in" }), ["403"]),
            ("service changes roles", () => Probes.HttpAsync(system.Auth, HttpMethod.Put, $"/employees/{bob.Id}/role", service, new { role = "admin" }), ["403"]),
            ("alice reads her day", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, $"/attendance/{alice.Id}", alice.Token), ["200"]),
            ("admin reads alice's day", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, $"/attendance/{alice.Id}", admin.Token), ["200"]),
            ("admin lists alice (gRPC)", () => Probes.ListAsync(system, new ListRequest { Jwt = admin.Token, EmployeeId = alice.Id }), ["OK"]),
            ("admin sees presence", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, "/attendance/presence", admin.Token), ["200"]),
            ("service reads alice's day", () => Probes.HttpAsync(system.Attendance, HttpMethod.Get, $"/attendance/{alice.Id}", service), ["200"]),
            ("service streams everyone", () => Probes.StreamNewAsync(system, new StreamRequest { Jwt = service }), ["OK"]),
        };

        foreach (var (what, ask, allowed) in checks)
        {
            var answer = await ask();
            Assert.True(allowed.Contains(answer), $"{what}: {answer}");
        }

        Assert.Equal("employee", await system.Database.ScalarAsync<string>("SELECT role FROM employees WHERE id = $1", bob.Id));
        Figures.Report($"access matrix: {checks.Length} checks, all as expected");
        output.WriteLine($"access checks: {checks.Length}, all as expected");
    }
}
