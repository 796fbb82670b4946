using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AttendanceSystem.Testing;

/// <summary>Hand-made tokens, good and forged, to probe validation in every service.</summary>
public static class TestTokens
{
    public static string Create(
        string secret = AuthAppSecrets.Secret,
        string issuer = AuthAppSecrets.Issuer,
        string audience = AuthAppSecrets.Audience,
        DateTime? expires = null,
        DateTime? notBefore = null,
        int employeeId = 1,
        string role = "admin")
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.AddHours(-2),
            NotBefore = notBefore ?? now.AddHours(-2),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = employeeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["employee_id"] = employeeId,
                ["name"] = "someone",
                ["role"] = role,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
        });
    }

    /// <summary>The same claims, unsigned, with <c>alg: none</c>.</summary>
    public static string AlgNone(int employeeId = 1, string role = "admin")
    {
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var payload = Base64Url($$"""{"sub":"{{employeeId}}","employee_id":{{employeeId}},"name":"x","role":"{{role}}","iss":"{{AuthAppSecrets.Issuer}}","aud":"{{AuthAppSecrets.Audience}}","exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>A valid token whose payload was edited afterwards (role raised to admin), signature kept.</summary>
    public static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        parts[1] = Base64Url(payload.Replace("\"employee\"", "\"admin\"", StringComparison.Ordinal));
        return string.Join('.', parts);
    }

    private static string Base64Url(string text) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(text));
}

/// <summary>The JWT settings every test host and process is given.</summary>
public static class AuthAppSecrets
{
    public const string Secret = ServiceApp<object>.JwtSecret;
    public const string Issuer = ServiceApp<object>.JwtIssuer;
    public const string Audience = ServiceApp<object>.JwtAudience;
}
