using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Auth;

public sealed class AuthOptions
{
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
