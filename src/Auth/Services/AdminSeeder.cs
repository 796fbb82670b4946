using Microsoft.Extensions.Options;

namespace AttendanceSystem.Auth.Services;

/// <summary>
/// Creates the first admin from ADMIN_USERNAME / ADMIN_PASSWORD at start-up, or makes sure that
/// account is an active admin again. An existing password is left alone: the admin may have changed it.
/// Safe when several auth processes start at once (insert … on conflict do nothing).
/// </summary>
internal sealed partial class AdminSeeder(
    IServiceProvider services,
    IOptions<AuthOptions> options,
    PasswordHasher hasher,
    ILogger<AdminSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (username, password) = (options.Value.AdminUsername, options.Value.AdminPassword);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            LogNoAdmin();
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AttendanceDbContext>();
        var hash = hasher.Hash(password);
        var created = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO employees (username, password_hash, role) VALUES ({username}, {hash}, {Roles.Admin})
            ON CONFLICT (username) DO NOTHING
            """, cancellationToken);
        if (created == 0)
        {
            await db.Employees.Where(e => e.Username == username)
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.Role, Roles.Admin).SetProperty(x => x.Active, true),
                    cancellationToken);
        }

        LogAdmin(username, created == 1 ? "created" : "ensured");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin account {Username} {Outcome}")]
    private partial void LogAdmin(string username, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "No ADMIN_USERNAME/ADMIN_PASSWORD configured; no admin account seeded")]
    private partial void LogNoAdmin();
}
