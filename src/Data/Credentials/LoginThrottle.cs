using System.Net;
using Npgsql;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Data.Credentials;

/// <summary>A username's standing: whether failures are counted for it, and how long it must wait (null: it may try).</summary>
public readonly record struct ThrottleState(bool HasFailures, TimeSpan? RetryAfter);

/// <summary>Which secret was tried: each is counted and locked on its own, by the same rules.</summary>
public enum Secret
{
    Password,

    /// <summary>A kiosk PIN: short, so a kiosk is held to a few guesses per person like a login.</summary>
    Pin,
}

/// <summary>What a failed attempt did: whether it locked the username now, and for how long.</summary>
public readonly record struct FailureOutcome(bool LockedNow, TimeSpan? RetryAfter);

/// <summary>
/// Failed sign-ins counted in PostgreSQL (<c>login_throttles</c>), so every auth replica enforces one
/// limit and a restart forgets nothing. A username with too many failures in the window is locked
/// for a while (doubling with each lock in a row), for every address. An address is never locked
/// as a whole — a whole office may sit behind it — but once it has failed often across usernames it
/// is busy guessing, and from it each username is locked after far fewer failures. A guesser is
/// held to a few tries per account; the correct logins of everyone else behind the address go on.
/// Unknown usernames are counted exactly like known ones, so the answers reveal nothing.
/// Kiosk PINs follow the same rules with the kiosk in place of the address: every guess at a
/// kiosk comes from one place, so a kiosk guessing across names becomes busy like an address.
/// </summary>
public sealed class LoginThrottle(NpgsqlDataSource dataSource, IOptions<CredentialOptions> options)
{
    private const string CountFailureSql = """
        INSERT INTO login_throttles AS t (key, failures, window_ends_at, lockouts)
        VALUES ($1, 1, now() + $2, 0)
        ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.failures + 1 END,
            window_ends_at = CASE WHEN t.window_ends_at <= now() THEN now() + $2 ELSE t.window_ends_at END
        RETURNING failures
        """;

    /// <summary>Whether the username has failures counted, and how long it must wait before trying.</summary>
    public async Task<ThrottleState> StateAsync(Secret secret, string username, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT CASE WHEN locked_until > now() THEN locked_until - now() END FROM login_throttles WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = UsernameKey(secret, username) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ThrottleState(true, reader.IsDBNull(0) ? null : reader.GetFieldValue<TimeSpan>(0))
            : new ThrottleState(false, null);
    }

    /// <summary>The place a sign-in came from, as <see cref="RecordFailureAsync"/> counts it.</summary>
    public static string? Source(IPAddress? address) => address is null ? null : "addr:" + address;

    /// <summary>A kiosk, as <see cref="RecordFailureAsync"/> counts it.</summary>
    public static string KioskSource(int kioskId) => "kiosk:" + kioskId;

    /// <summary>Counts a failure for the username and where it came from (<see cref="Source"/>); locks the username when it reached its limit.</summary>
    public async Task<FailureOutcome> RecordFailureAsync(Secret secret, string username, string? source, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var window = TimeSpan.FromSeconds(limits.FailureWindowSeconds);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var busyAddress = false;
        if (source is not null)
        {
            var addressFailures = await CountAsync(connection, source, window, cancellationToken);
            busyAddress = addressFailures > limits.MaxFailuresPerAddress;
        }

        var key = UsernameKey(secret, username);
        var failures = await CountAsync(connection, key, window, cancellationToken);
        var limit = busyAddress ? Math.Min(limits.MaxFailuresFromBusyAddress, limits.MaxFailuresPerUsername) : limits.MaxFailuresPerUsername;
        if (failures < limit)
        {
            return new FailureOutcome(false, null);
        }

        // Of simultaneous failures, the one that finds the count still at the limit locks; the lock
        // doubles with each lock in a row (reset by a correct login) and never outlasts the window.
        await using var lockCommand = new NpgsqlCommand("""
            UPDATE login_throttles
            SET locked_until = now() + least($2 * power(2, least(lockouts, 20)), $3) * interval '1 second',
                lockouts = lockouts + 1, failures = 0
            WHERE key = $1 AND failures >= $4
            RETURNING locked_until - now()
            """, connection);
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = key });
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = (double)limits.LockoutSeconds });
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = (double)Math.Max(limits.LockoutSeconds, limits.FailureWindowSeconds) });
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await lockCommand.ExecuteScalarAsync(cancellationToken) is TimeSpan wait
            ? new FailureOutcome(true, wait)
            : new FailureOutcome(false, null);
    }

    /// <summary>A correct login clears the username's count and lock history (never the address's: one good account must not launder a spray).</summary>
    public async Task RecordSuccessAsync(Secret secret, string username, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM login_throttles WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = UsernameKey(secret, username) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets counts whose window ended a day ago and whose lock is over (a spray of made-up names must not grow the table forever).</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM login_throttles
            WHERE window_ends_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, string key, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CountFailureSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = window });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string UsernameKey(Secret secret, string username) =>
        (secret == Secret.Pin ? "pin:" : "user:") + username.ToLowerInvariant();
}
