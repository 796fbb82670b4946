using System.Security.Claims;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Which validly signed tokens no longer count: those of an ended session (logout, a reused refresh
/// token, a password change, a deactivation) and those an employee was issued before a revocation
/// (a role change too). Answered from memory: every process learns revocations as they commit.
/// </summary>
public interface ITokenRevocations
{
    /// <summary>Why <paramref name="user"/>'s token no longer counts, or null while it does.</summary>
    string? RevokedBecause(ClaimsPrincipal user);

    /// <summary>
    /// Calls <paramref name="onRevoked"/> once, with the reason, when <paramref name="user"/>'s token is
    /// revoked later: channels that outlive their request (a WebSocket, a gRPC stream) end then.
    /// </summary>
    IDisposable Watch(ClaimsPrincipal user, Action<string> onRevoked);
}

/// <summary>The token was fine, but has been revoked since it was issued.</summary>
public sealed class TokenRevokedException(string reason) : Exception($"This token has been revoked ({reason}).")
{
    public string Reason { get; } = reason;
}
