using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>scripts/backup.sh and scripts/restore.sh, as an operator runs them: every row comes back, and the audit chain still verifies.</summary>
public sealed class BackupTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly string[] Tables =
        ["employees", "attendance_records", "corrections", "notifications", "audit_log", "sessions", "refresh_tokens", "token_revocations", "teams", "schedules"];

    [Fact]
    public async Task A_backup_restored_into_an_empty_database_has_every_row_and_a_verified_audit_chain()
    {
        // Data of every kind: a person who signed in (session, refresh token), punched, asked for a
        // correction (notification, audit rows) and logged out once (a revocation).
        using var register = await system.Auth.PostAsJsonAsync("/register", new { username = "backed-up", password = "correct-horse" });
        var token = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        long lastRecord = 0;
        foreach (var action in new[] { "in", "out" })
        {
            using var punch = await system.Attendance.SendAsync(RunningSystem.Request(HttpMethod.Post, "/attendance", token, new { action }));
            Assert.Equal(HttpStatusCode.Created, punch.StatusCode);
            lastRecord = (await punch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }

        using (var correction = await system.Attendance.SendAsync(RunningSystem.Request(HttpMethod.Post, "/attendance/corrections", token,
            new { kind = "void", record_id = lastRecord, reason = "punched out by mistake" })))
        {
            Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        }

        using (var login = await system.Auth.PostAsJsonAsync("/login", new { username = "backed-up", password = "correct-horse" }))
        {
            var refresh = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refresh_token").GetString();
            using var logout = await system.Auth.PostAsJsonAsync("/logout", new { refresh_token = refresh });
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var before = await CountsAsync(system.Database);
        Assert.All(new[] { "attendance_records", "corrections", "audit_log", "sessions", "refresh_tokens", "token_revocations" },
            table => Assert.True(before[table] > 0, table + " is empty"));

        var file = Path.Combine(Path.GetTempPath(), $"attendance-backup-{Guid.NewGuid():N}.dump");
        await using var restored = await PostgresServer.CreateDatabaseAsync("restored");
        try
        {
            await ScriptAsync("backup.sh", system.Database.ConnectionString, file);
            await ScriptAsync("restore.sh", restored.ConnectionString, file);
            Assert.Equal(before, await CountsAsync(restored));

            // A second restore into the now full database is refused and changes nothing.
            var again = await Assert.ThrowsAsync<InvalidOperationException>(() => ScriptAsync("restore.sh", restored.ConnectionString, file));
            Assert.Contains("not empty", again.Message, StringComparison.Ordinal);

            // Attendance on the restored database finds the chain intact.
            var restPort = LoopbackPort.Free();
            await using var attendance = RunningSystem.StartAttendance(restored.ConnectionString, restPort, LoopbackPort.Free());
            await attendance.WaitUntilReadyAsync();
            var adminId = await restored.ScalarAsync<int>("SELECT id FROM employees WHERE role = 'admin' ORDER BY id LIMIT 1");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") };
            using var verify = await http.SendAsync(RunningSystem.Request(HttpMethod.Get, "/audit/verify",
                RunningSystem.Issuer.Issue(adminId, RunningSystem.AdminUsername, "admin").Token));
            var verdict = await verify.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(verdict.GetProperty("ok").GetBoolean(), verdict.ToString());
            Assert.Equal(before["audit_log"], verdict.GetProperty("rows").GetInt64());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Dictionary<string, long>> CountsAsync(TestDatabase database)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            counts[table] = await database.ScalarAsync<long>($"SELECT count(*) FROM {table}");
        }

        return counts;
    }

    private static Task<string> ScriptAsync(string script, string connectionString, string file) =>
        Shell.RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "scripts", script), file],
            new Dictionary<string, string> { ["DATABASE_CONNECTION_STRING"] = connectionString });
}
