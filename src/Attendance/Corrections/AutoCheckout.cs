using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Attendance.Notifications;
using AttendanceSystem.Attendance.Schedules;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.Data.Rules;
using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Attendance.Corrections;

/// <summary>
/// Closes forgotten check-outs: an "in" open longer than MAX_OPEN_HOURS gets an "out" with source
/// <c>auto</c> at the end of the shift the in belongs to (without a schedule, or outside any shift,
/// AUTO_CLOSE_WORKED_HOURS after the in), audited,
/// with a notification to the employee; the summary flags that day <c>needs_review</c>.
/// One replica at a time does it (a transaction-scoped advisory lock; the others skip the round), and
/// the punch rules make a second "out" impossible anyway: exactly once, also against a real punch.
/// </summary>
public sealed partial class AutoCheckout(
    NpgsqlDataSource dataSource, FeedDoorbell doorbell, IOptions<AttendanceOptions> options, TimeProvider time, ILogger<AutoCheckout> logger) : BackgroundService
{
    /// <summary>The advisory lock's key: "autoclos" in ASCII.</summary>
    private const long LockKey = 0x6175746F636C6F73;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.AutoCloseEverySeconds), time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One round; returns how many check-outs it closed (0 when another replica holds the round).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockRound = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction)
        {
            Parameters = { new() { Value = LockKey } },
        })
        {
            if (!(bool)(await lockRound.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        var open = new List<(int EmployeeId, DateTime Since, WorkSchedule? Schedule)>();
        await using (var find = new NpgsqlCommand("""
            SELECT e.id, e.last_punch_at, s.id, s.time_zone, s.grace_minutes, s.days::text
            FROM employees e LEFT JOIN schedules s ON s.id = e.schedule_id
            WHERE e.last_action = 'in' AND e.last_punch_at < now() - make_interval(hours => $1)
            ORDER BY e.id LIMIT 1000
            """, connection, transaction)
        {
            Parameters = { new() { Value = settings.MaxOpenHours } },
        })
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var schedule = reader.IsDBNull(2) ? null
                    : WorkSchedule.Of(reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5));
                open.Add((reader.GetInt32(0), reader.GetDateTime(1), schedule));
            }
        }

        var closed = 0;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (employeeId, since, schedule) in open)
        {
            // Each in its own savepoint: one refused by the rules (the employee punched meanwhile) leaves the others.
            await transaction.SaveAsync("checkout", cancellationToken);
            try
            {
                var at = schedule?.ShiftEndAfter(since) is { } end && end < now ? end : since.AddHours(settings.AutoCloseWorkedHours);
                await CloseAsync(connection, transaction, employeeId, since, at, settings, cancellationToken);
                await transaction.ReleaseAsync("checkout", cancellationToken);
                closed++;
            }
            catch (PostgresException ex) when (PunchRule.FromSqlState(ex.SqlState) is not null)
            {
                await transaction.RollbackAsync("checkout", cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (closed > 0)
        {
            doorbell.Ring();
            LogClosed(closed);
        }

        return closed;
    }

    private static async Task CloseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int employeeId, DateTime since,
        DateTime at, AttendanceOptions settings, CancellationToken cancellationToken)
    {
        long recordId;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO attendance_records (employee_id, action, timestamp, source) VALUES ($1, 'out', $2, 'auto') RETURNING id
            """, connection, transaction)
        {
            Parameters = { new() { Value = employeeId }, new() { Value = at } },
        })
        {
            recordId = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        await AuditLog.WriteAsync(connection, transaction, new AuditEvent(null, AuditActions.AutoCheckout, employeeId,
            new { RecordId = recordId, Timestamp = at, InSince = since, settings.MaxOpenHours }), cancellationToken);
        await Notifier.SendAsync(connection, transaction, [employeeId], NotificationKinds.AutoCheckout,
            $"You were checked out automatically at {UtcTime.Format(at)}: your \"in\" at {UtcTime.Format(since)} was open for more than {settings.MaxOpenHours} hours. If the time is wrong, ask for a correction.",
            null, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} forgotten check-outs")]
    private partial void LogClosed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for forgotten check-outs failed ({Reason}); trying again next round")]
    private partial void LogFailed(string reason);
}
