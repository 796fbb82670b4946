using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Data.Credentials;

/// <summary>
/// How secrets are hashed and how failed attempts are limited: one setting for passwords (auth,
/// and attendance when a PIN change asks for the password) and kiosk PINs (attendance).
/// </summary>
public sealed class CredentialOptions
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
}
