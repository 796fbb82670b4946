using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// The JWT settings every service shares. Bound from flat keys (JWT_SECRET, …) so the same names
/// work in appsettings.json, environment variables, .env and docker-compose.yml.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>HS256 needs at least 256 bits of key.</summary>
    public const int MinimumSecretBytes = 32;

    [ConfigurationKeyName("JWT_SECRET")]
    public string Secret { get; set; } = "";

    [ConfigurationKeyName("JWT_ISSUER")]
    [Required]
    public string Issuer { get; set; } = "attendance-system";

    [ConfigurationKeyName("JWT_AUDIENCE")]
    [Required]
    public string Audience { get; set; } = "attendance-system";

    /// <summary>
    /// How long an access token lives. Short, because a refresh token renews it; a day at most,
    /// because services remember revocations for a day.
    /// </summary>
    [ConfigurationKeyName("ACCESS_TOKEN_MINUTES")]
    [Range(1, 24 * 60)]
    public int AccessTokenMinutes { get; set; } = 15;

    [ConfigurationKeyName("JWT_CLOCK_SKEW_SECONDS")]
    [Range(0, 300)]
    public int ClockSkewSeconds { get; set; } = 30;

    public byte[] SecretBytes() => Encoding.UTF8.GetBytes(Secret);
}

/// <summary>Refuses a missing or short secret, in every environment: only Development ships one.</summary>
internal sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Secret))
        {
            return ValidateOptionsResult.Fail(
                "JWT_SECRET is not set. Set it to a random value of at least 32 bytes, e.g. `openssl rand -base64 48`.");
        }

        var length = Encoding.UTF8.GetByteCount(options.Secret);
        return length < JwtOptions.MinimumSecretBytes
            ? ValidateOptionsResult.Fail(
                $"JWT_SECRET is {length} bytes long; at least {JwtOptions.MinimumSecretBytes} are required. Generate one with `openssl rand -base64 48`.")
            : ValidateOptionsResult.Success;
    }
}
