namespace AttendanceSystem.Data.Entities;

/// <summary>
/// One sign-in (a refresh-token family): created by a login or a registration, kept alive by
/// refreshing, ended by logout, by a reused refresh token, or by a password change or deactivation.
/// Access tokens carry its id (<c>sid</c>), so ending it ends them too.
/// </summary>
public sealed class Session
{
    public Guid Id { get; set; }

    public int EmployeeId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>Why it ended, in words a refusal can repeat ("logged out", "password changed", …).</summary>
    public string? RevokedReason { get; set; }
}

/// <summary>One refresh token of a session, kept only as its SHA-256 hash; usable once.</summary>
public sealed class RefreshToken
{
    public required byte[] TokenHash { get; set; }

    public Guid SessionId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>Set when it was exchanged; presenting it again means someone else holds a copy.</summary>
    public DateTime? UsedAt { get; set; }
}

/// <summary>
/// One revocation every service must learn within seconds: a whole session (<see cref="SessionId"/>)
/// or every token of an employee issued up to <see cref="RevokedAt"/>. Written by triggers only; each
/// insert is announced with NOTIFY, and services keep the last day's rows in memory.
/// </summary>
public sealed class TokenRevocation
{
    public long Id { get; set; }

    public int EmployeeId { get; set; }

    public Guid? SessionId { get; set; }

    public required string Reason { get; set; }

    public DateTime RevokedAt { get; set; }
}

/// <summary>Failed sign-ins counted per key ("user:…", "addr:…"), shared by every auth replica and kept across restarts.</summary>
public sealed class LoginThrottleEntry
{
    public required string Key { get; set; }

    public int Failures { get; set; }

    public DateTime WindowEndsAt { get; set; }

    public DateTime? LockedUntil { get; set; }

    /// <summary>Lockouts in a row: each one doubles the next lock's length.</summary>
    public int Lockouts { get; set; }
}
