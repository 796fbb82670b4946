namespace AttendanceSystem.Auth.Services;

/// <summary>
/// Hourly: forgets what no longer matters — login counts long over, refresh tokens and sessions
/// past use, revocations older than any access token can be. Any replica may do it; doing it twice is harmless.
/// </summary>
public sealed partial class SessionHousekeeping(LoginThrottle throttle, NpgsqlDataSource dataSource, TimeProvider time,
    ILogger<SessionHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await throttle.PruneAsync(stoppingToken);
                await using var command = dataSource.CreateCommand("""
                    DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day';
                    DELETE FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id)
                        AND s.last_used_at < now() - interval '1 day';
                    DELETE FROM token_revocations WHERE revoked_at < now() - interval '2 days';
                    """);
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                LogSkipped(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session housekeeping skipped this hour: {Reason}")]
    private partial void LogSkipped(string reason);
}
