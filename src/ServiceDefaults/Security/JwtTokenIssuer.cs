using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>A signed token and the moment it stops being accepted.</summary>
public sealed record IssuedToken(string Token, DateTime ExpiresAt);

/// <summary>Mints HS256 tokens with the claims DESIGN.md lists; used by auth and by the reporter for its service token.</summary>
public sealed class JwtTokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public IssuedToken Issue(int employeeId, string username, string role, TimeSpan? lifetime = null)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(jwt.LifetimeMinutes));

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(jwt.SecretBytes()), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtClaims.Subject] = employeeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [JwtClaims.EmployeeId] = employeeId,
                [JwtClaims.Name] = username,
                [JwtClaims.Role] = role,
                [JwtClaims.TokenId] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            },
        };

        // Whole seconds on the wire: that is what `exp` can express.
        return new IssuedToken(Handler.CreateToken(descriptor), DateTime.SpecifyKind(
            expires.AddTicks(-(expires.Ticks % TimeSpan.TicksPerSecond)), DateTimeKind.Utc));
    }
}

/// <summary>Claim names on the wire (no inbound mapping to WS-* URIs).</summary>
public static class JwtClaims
{
    public const string Subject = "sub";
    public const string EmployeeId = "employee_id";
    public const string Name = "name";
    public const string Role = "role";
    public const string TokenId = "jti";
}
