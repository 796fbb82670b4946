using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Auth.Services;

/// <summary>A fresh pair: a short access token and the refresh token that renews it.</summary>
public sealed record SignedIn(IssuedToken Access, string RefreshToken, DateTime RefreshExpiresAt, int EmployeeId, string Username, string Role);

/// <summary>Why a refresh or a logout was refused, in words for the caller.</summary>
public sealed record SessionRefusal(string Detail);

/// <summary>
/// Sessions and their refresh tokens. A refresh token is 32 random bytes (base64url), stored only
/// as its SHA-256, and usable once: refreshing rotates it. Presenting one that was already used
/// means two parties hold it, so the whole session ends (theft detection). Access tokens are
/// stamped with the database's clock, the one revocations use.
/// </summary>
public sealed class SessionTokens(NpgsqlDataSource dataSource, JwtTokenIssuer issuer, IOptions<AuthOptions> options)
{
    /// <summary>43 base64url characters: 32 bytes.</summary>
    public const int RefreshTokenLength = 43;

    private const string NotValid = "The refresh token is not valid; sign in again.";

    /// <summary>Starts a session for someone who just proved who they are.</summary>
    public async Task<SignedIn> StartAsync(int employeeId, string username, string role, CancellationToken cancellationToken)
    {
        var sessionId = Guid.CreateVersion7();
        var (refreshToken, hash) = NewRefreshToken();
        await using var command = dataSource.CreateCommand("""
            WITH session AS (INSERT INTO sessions (id, employee_id) VALUES ($1, $2) RETURNING created_at)
            INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at)
            SELECT $3, $1, created_at, created_at + $4 FROM session
            RETURNING created_at, expires_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = employeeId });
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        command.Parameters.Add(new NpgsqlParameter { Value = RefreshLifetime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (issuedAt, refreshExpires) = (reader.GetDateTime(0), reader.GetDateTime(1));
        return new SignedIn(issuer.Issue(employeeId, username, role, sessionId: sessionId, issuedAt: issuedAt),
            refreshToken, refreshExpires, employeeId, username, role);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair. <paramref name="callerEmployeeId"/>: the employee of
    /// an access token sent along, if any; a refresh token of someone else is then refused.
    /// </summary>
    public async Task<(SignedIn? SignedIn, SessionRefusal? Refusal)> RefreshAsync(
        string refreshToken, int? callerEmployeeId, CancellationToken cancellationToken)
    {
        if (Hash(refreshToken) is not { } hash)
        {
            return (null, new SessionRefusal(NotValid));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locking the token and its session: a second use of the same token waits and then sees it used;
        // a role change waits for this refresh, so its revocation comes after the token issued here.
        await using var find = new NpgsqlCommand("""
            SELECT t.session_id, t.used_at IS NOT NULL, t.expires_at <= now(), s.revoked_reason, s.employee_id
            FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
            WHERE t.token_hash = $1
            FOR UPDATE OF t, s
            """, connection, transaction);
        find.Parameters.Add(new NpgsqlParameter { Value = hash });
        Guid sessionId;
        bool used, expired;
        string? endedBecause;
        int employeeId;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (null, new SessionRefusal(NotValid));
            }

            (sessionId, used, expired) = (reader.GetGuid(0), reader.GetBoolean(1), reader.GetBoolean(2));
            endedBecause = reader.IsDBNull(3) ? null : reader.GetString(3);
            employeeId = reader.GetInt32(4);
        }

        if (callerEmployeeId is { } caller && caller != employeeId)
        {
            return (null, new SessionRefusal("This refresh token belongs to another account."));
        }

        if (endedBecause is not null)
        {
            return (null, new SessionRefusal($"This session has ended ({endedBecause}); sign in again."));
        }

        if (used)
        {
            await EndAsync(connection, transaction, sessionId, "refresh token reused", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (null, new SessionRefusal(
                "This refresh token was already used, so someone else may hold a copy: the session has been ended. Sign in again."));
        }

        if (expired)
        {
            return (null, new SessionRefusal("The refresh token has expired; sign in again."));
        }

        // Read after the lock, so a role change that committed meanwhile is seen.
        await using var person = new NpgsqlCommand(
            "SELECT username, role, active, clock_timestamp() FROM employees WHERE id = $1", connection, transaction);
        person.Parameters.Add(new NpgsqlParameter { Value = employeeId });
        string username, role;
        DateTime now;
        await using (var reader = await person.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || !reader.GetBoolean(2))
            {
                return (null, new SessionRefusal("This account has been deactivated; ask an admin."));
            }

            (username, role, now) = (reader.GetString(0), reader.GetString(1), reader.GetDateTime(3));
        }

        var (next, nextHash) = NewRefreshToken();
        await using var rotate = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1", hash, now),
                Command("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $3 + $4)",
                    nextHash, sessionId, now, RefreshLifetime),
                Command("UPDATE sessions SET last_used_at = $2 WHERE id = $1", sessionId, now),
            },
        };
        await rotate.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new SignedIn(issuer.Issue(employeeId, username, role, sessionId: sessionId, issuedAt: now),
            next, now + RefreshLifetime, employeeId, username, role), null);
    }

    /// <summary>The session a refresh token belongs to, if it is known.</summary>
    public async Task<Guid?> SessionOfAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (Hash(refreshToken) is not { } hash)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("SELECT session_id FROM refresh_tokens WHERE token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid session ? session : null;
    }

    /// <summary>Ends a session (logout); false when it had already ended or does not exist.</summary>
    public async Task<bool> EndAsync(Guid sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await EndAsync(connection, null, sessionId, reason, cancellationToken);
    }

    private static async Task<bool> EndAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid sessionId, string reason,
        CancellationToken cancellationToken)
    {
        // The table's trigger records the revocation and announces it to every service.
        await using var command = new NpgsqlCommand(
            "UPDATE sessions SET revoked_at = clock_timestamp(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = reason });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private TimeSpan RefreshLifetime => TimeSpan.FromDays(options.Value.RefreshTokenDays);

    private static (string Token, byte[] Hash) NewRefreshToken()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, SHA256.HashData(Base64Url.DecodeFromChars(token)));
    }

    /// <summary>The stored form of a well-formed refresh token; null for anything else (never stored, never looked up).</summary>
    private static byte[]? Hash(string refreshToken)
    {
        if (refreshToken.Length != RefreshTokenLength || !Base64Url.IsValid(refreshToken, out var length) || length != 32)
        {
            return null;
        }

        return SHA256.HashData(Base64Url.DecodeFromChars(refreshToken));
    }
}
