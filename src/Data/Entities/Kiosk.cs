namespace AttendanceSystem.Data.Entities;

/// <summary>
/// A shared screen by the door where people punch with their username and PIN. It signs its
/// requests with a long random token, shown once when registered and kept only as a SHA-256 hash.
/// </summary>
public sealed class Kiosk
{
    public int Id { get; set; }

    /// <summary>Where it stands ("Front door"), up to 100 characters.</summary>
    public required string Name { get; set; }

    /// <summary>When set, only this team's members punch here, and the kiosk lists their names to pick from.</summary>
    public int? TeamId { get; set; }

    /// <summary>SHA-256 of the token; the token itself is never stored.</summary>
    public required byte[] TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public int CreatedBy { get; set; }

    /// <summary>Set once revoked: the token stops working at once.</summary>
    public DateTime? RevokedAt { get; set; }
}

public static class KioskRules
{
    public const int MaxName = 100;
}
