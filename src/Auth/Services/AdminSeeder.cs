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
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await Accounts.TryCreateAsync(db.Database, username, hash, Roles.Admin, cancellationToken);
        if (created is { } id)
        {
            await db.Database.WriteAsync(new AuditEvent(null, AuditActions.EmployeeRegistered, id,
                new { Username = username, Role = Roles.Admin, From = "ADMIN_USERNAME" }), cancellationToken);
        }
        else
        {
            await db.Employees.Where(e => e.Username == username)
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.Role, Roles.Admin).SetProperty(x => x.Active, true),
                    cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        LogAdmin(username, created is null ? "ensured" : "created");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin account {Username} {Outcome}")]
    private partial void LogAdmin(string username, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "No ADMIN_USERNAME/ADMIN_PASSWORD configured; no admin account seeded")]
    private partial void LogNoAdmin();
}
