using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Auth;

public sealed class AuthOptions
{
    /// <summary>BCrypt cost; each step doubles the work. DESIGN.md asks for at least 11.</summary>
    [ConfigurationKeyName("BCRYPT_WORK_FACTOR")]
    [Range(11, 16)]
    public int BcryptWorkFactor { get; set; } = 12;

    /// <summary>Failed logins for one username within the window before it is locked (429 for a while).</summary>
    [ConfigurationKeyName("LOGIN_MAX_FAILURES_PER_USERNAME")]
    [Range(1, 1000)]
    public int MaxFailuresPerUsername { get; set; } = 5;

    /// <summary>
    /// Failed logins from one client address within the window after which it counts as busy
    /// guessing. It never refuses the address as a whole (hundreds of people may share it); from a
    /// busy address each username gets only <see cref="MaxFailuresFromBusyAddress"/> failures.
    /// </summary>
    [ConfigurationKeyName("LOGIN_MAX_FAILURES_PER_ADDRESS")]
    [Range(1, 100_000)]
    public int MaxFailuresPerAddress { get; set; } = 50;

    [ConfigurationKeyName("LOGIN_MAX_FAILURES_FROM_BUSY_ADDRESS")]
    [Range(1, 1000)]
    public int MaxFailuresFromBusyAddress { get; set; } = 2;

    [ConfigurationKeyName("LOGIN_FAILURE_WINDOW_SECONDS")]
    [Range(1, 86_400)]
    public int FailureWindowSeconds { get; set; } = 900;

    /// <summary>The first lock's length; each further lock in a row doubles it, up to the window.</summary>
    [ConfigurationKeyName("LOGIN_LOCKOUT_SECONDS")]
    [Range(1, 86_400)]
    public int LockoutSeconds { get; set; } = 60;

    /// <summary>How long a refresh token (and so a sign-in left idle) lasts.</summary>
    [ConfigurationKeyName("REFRESH_TOKEN_DAYS")]
    [Range(1, 365)]
    public int RefreshTokenDays { get; set; } = 14;

    /// <summary><c>open</c>: anyone may register; <c>closed</c>: POST /register is 403 and admins create people.</summary>
    [ConfigurationKeyName("REGISTRATION")]
    [RegularExpression("^(open|closed)$", ErrorMessage = "REGISTRATION must be open or closed.")]
    public string Registration { get; set; } = "open";

    public bool RegistrationOpen => Registration == "open";

    /// <summary>The first admin, created (or re-enabled) at start-up when both are set.</summary>
    [ConfigurationKeyName("ADMIN_USERNAME")]
    [RegularExpression(Data.Entities.UsernameRules.Pattern, ErrorMessage = "ADMIN_USERNAME must be 3–64 of letters, digits, '.', '_', '-'.")]
    public string? AdminUsername { get; set; }

    [ConfigurationKeyName("ADMIN_PASSWORD")]
    [StringLength(128, MinimumLength = 8, ErrorMessage = "ADMIN_PASSWORD must be 8–128 characters.")]
    public string? AdminPassword { get; set; }
}
