using AttendanceSystem.ServiceDefaults.Security;

namespace AttendanceSystem.Data.Entities;

public sealed class Employee
{
    public int Id { get; set; }

    /// <summary>Unique case-insensitively (a <c>citext</c> column); 3–64 of letters, digits, '.', '_', '-'.</summary>
    public required string Username { get; set; }

    /// <summary>BCrypt hash; never leaves the auth service.</summary>
    public required string PasswordHash { get; set; }

    /// <summary>BCrypt hash of the kiosk PIN (4–8 digits); null until the person sets one. Never leaves the service that checks it.</summary>
    public string? PinHash { get; set; }

    /// <summary>The person's name as colleagues know it (up to 100 characters).</summary>
    public string? FullName { get; set; }

    /// <summary>A contact address (up to 254 characters); never shown to people out of scope.</summary>
    public string? Email { get; set; }

    public string Role { get; set; } = Roles.Employee;

    public bool Active { get; set; } = true;

    /// <summary>The team whose manager sees this person's attendance; none when null.</summary>
    public int? TeamId { get; set; }

    /// <summary>The working week this person's days are judged against; none (no judging) when null.</summary>
    public int? ScheduleId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The last punch's action; maintained by the database's punch trigger, never by code.</summary>
    public string? LastAction { get; set; }

    /// <summary>The last punch's time; maintained with <see cref="LastAction"/>.</summary>
    public DateTime? LastPunchAt { get; set; }
}

/// <summary>Limits of a person's profile fields, shared by the columns and the API's validation.</summary>
public static class ProfileRules
{
    public const int MaxFullName = 100;
    public const int MaxEmail = 254;
}

/// <summary>The username rule, shared by the database constraint and the API's validation.</summary>
public static class UsernameRules
{
    public const string Pattern = "^[A-Za-z0-9._-]{3,64}$";
    public const int MinLength = 3;
    public const int MaxLength = 64;
}
