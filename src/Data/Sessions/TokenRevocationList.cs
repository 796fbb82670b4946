using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using AttendanceSystem.Data.Listening;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AttendanceSystem.Data.Sessions;

/// <summary>
/// Every process's copy of the last day's token revocations (<c>token_revocations</c>, written by the
/// database's triggers): read whole at start and on every reconnect, then kept current from the
/// revocations' own notifications, which carry each row — no query per request, none per revocation.
/// A day is enough: no access token lives longer (ACCESS_TOKEN_MINUTES is at most 1,440).
/// Until the first read it fails closed: every token counts as revoked.
/// </summary>
public sealed class TokenRevocationList(NpgsqlDataSource dataSource, TimeProvider time, ILogger<TokenRevocationList> logger)
    : PostgresListener(dataSource, time, logger), ITokenRevocations
{
    public const string ChannelName = "attendance_revocations";

    private static readonly TimeSpan Kept = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<Watcher, byte> _watchers = new();
    private volatile Revocations? _revocations;

    public string? RevokedBecause(ClaimsPrincipal user)
    {
        if (_revocations is not { } revocations)
        {
            return "sign-ins cannot be checked until this service has reached its database";
        }

        var token = TokenFacts.Of(user);
        return token is null ? null : revocations.Revoking(token.Value)?.Reason;
    }

    public IDisposable Watch(ClaimsPrincipal user, Action<string> onRevoked)
    {
        var watcher = new Watcher(TokenFacts.Of(user), onRevoked, _watchers);
        if (watcher.Token is not null)
        {
            _watchers.TryAdd(watcher, 0);
            // A revocation that landed between the check at connect and now must not be missed.
            if (RevokedBecause(user) is { } reason)
            {
                watcher.Fire(reason);
            }
        }

        return watcher;
    }

    protected override string Channel => ChannelName;

    protected override TimeSpan SafetyInterval => TimeSpan.FromMinutes(1);

    /// <summary>Reads the last day's revocations and replaces what is held (a cleared table forgets, too).</summary>
    public override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT employee_id, session_id, reason, floor(extract(epoch FROM revoked_at) * 1000)::bigint
            FROM token_revocations WHERE revoked_at > now() - $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Kept });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var loaded = new Revocations();
        while (await reader.ReadAsync(cancellationToken))
        {
            loaded.Add(new Revocation(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3)));
        }

        _revocations = loaded;
        foreach (var revocation in loaded.All)
        {
            Announce(revocation);
        }
    }

    /// <summary>A revocation row, applied as it comes; "reload" (the table was emptied) or anything unreadable reads it all again.</summary>
    protected override bool Apply(string payload)
    {
        try
        {
            var row = JsonSerializer.Deserialize(payload, RevocationJsonContext.Default.RevocationRow);
            if (row is null)
            {
                return false;
            }

            var revocation = new Revocation(row.EmployeeId, row.SessionId, row.Reason, (long)row.RevokedAtMs);
            _revocations?.Add(revocation);
            Announce(revocation);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Ends the channels whose token this revokes.</summary>
    private void Announce(Revocation revocation)
    {
        foreach (var watcher in _watchers.Keys)
        {
            if (revocation.Revokes(watcher.Token!.Value))
            {
                watcher.Fire(revocation.Reason);
            }
        }
    }

    /// <summary>What a revocation is compared with: whose token, of which session, issued when.</summary>
    private readonly record struct TokenFacts(int EmployeeId, Guid? SessionId, long IssuedAtMs)
    {
        public static TokenFacts? Of(ClaimsPrincipal user)
        {
            var employeeId = user.GetEmployeeId();
            if (employeeId <= 0)
            {
                return null; // the service token belongs to no one who can be revoked
            }

            Guid? session = Guid.TryParseExact(user.FindFirst(JwtClaims.Session)?.Value, "N", out var sid) ? sid : null;
            // Tokens from elsewhere (or older ones) may have whole seconds only: then the whole second counts as "before".
            var issuedAt = long.TryParse(user.FindFirst(JwtClaims.IssuedAtMs)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms
                : long.TryParse(user.FindFirst(JwtClaims.IssuedAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds * 1000 + 999
                : 0;
            return new TokenFacts(employeeId, session, issuedAt);
        }
    }

    private sealed record Revocation(int EmployeeId, Guid? SessionId, string Reason, long RevokedAtMs)
    {
        public bool Revokes(TokenFacts token) => SessionId is { } session
            ? token.SessionId == session
            : token.EmployeeId == EmployeeId && token.IssuedAtMs <= RevokedAtMs;
    }

    /// <summary>Ended sessions, and each employee's latest "everything issued until now" cutoff.</summary>
    private sealed class Revocations
    {
        private readonly ConcurrentDictionary<Guid, Revocation> _sessions = new();
        private readonly ConcurrentDictionary<int, Revocation> _cutoffs = new();

        public IEnumerable<Revocation> All => _sessions.Values.Concat(_cutoffs.Values);

        public void Add(Revocation revocation)
        {
            if (revocation.SessionId is { } session)
            {
                _sessions.TryAdd(session, revocation);
                return;
            }

            _cutoffs.AddOrUpdate(revocation.EmployeeId, revocation,
                (_, held) => held.RevokedAtMs >= revocation.RevokedAtMs ? held : revocation);
        }

        public Revocation? Revoking(TokenFacts token) =>
            token.SessionId is { } session && _sessions.TryGetValue(session, out var ended) ? ended
            : _cutoffs.TryGetValue(token.EmployeeId, out var cutoff) && token.IssuedAtMs <= cutoff.RevokedAtMs ? cutoff
            : null;
    }

    private sealed class Watcher(TokenFacts? token, Action<string> onRevoked, ConcurrentDictionary<Watcher, byte> owner) : IDisposable
    {
        private int _fired;

        public TokenFacts? Token { get; } = token;

        public void Fire(string reason)
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                owner.TryRemove(this, out _);
                onRevoked(reason);
            }
        }

        public void Dispose() => owner.TryRemove(this, out _);
    }
}

internal sealed record RevocationRow(
    [property: System.Text.Json.Serialization.JsonPropertyName("employee_id")] int EmployeeId,
    [property: System.Text.Json.Serialization.JsonPropertyName("session_id")] Guid? SessionId,
    [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string Reason,
    [property: System.Text.Json.Serialization.JsonPropertyName("revoked_at_ms")] double RevokedAtMs);

[System.Text.Json.Serialization.JsonSerializable(typeof(RevocationRow))]
internal sealed partial class RevocationJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
