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

    /// <param name="sessionId">The sign-in the token belongs to (<c>sid</c>): ending it ends the token.</param>
    /// <param name="issuedAt">
    /// The issue time to record, by default now; auth passes the database's clock, the one revocations
    /// are stamped with, so "issued before the revocation" means the same on every machine.
    /// </param>
    public IssuedToken Issue(int employeeId, string username, string role, TimeSpan? lifetime = null,
        Guid? sessionId = null, DateTime? issuedAt = null)
    {
        var jwt = options.Value;
        var now = issuedAt ?? time.GetUtcNow().UtcDateTime;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(jwt.AccessTokenMinutes));
        var claims = new Dictionary<string, object>
        {
            [JwtClaims.Subject] = employeeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [JwtClaims.EmployeeId] = employeeId,
            [JwtClaims.Name] = username,
            [JwtClaims.Role] = role,
            [JwtClaims.TokenId] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            [JwtClaims.IssuedAt] = (long)(now - DateTime.UnixEpoch).TotalSeconds,
            // Whole seconds are too coarse for "issued before the revocation": a refresh a moment after a role change must count.
            [JwtClaims.IssuedAtMs] = (long)(now - DateTime.UnixEpoch).TotalMilliseconds,
        };
        if (sessionId is { } session)
        {
            claims[JwtClaims.Session] = session.ToString("N");
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            NotBefore = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)),
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(jwt.SecretBytes()), SecurityAlgorithms.HmacSha256),
            Claims = claims,
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
    public const string IssuedAt = "iat";
    public const string IssuedAtMs = "iat_ms";
    public const string Session = "sid";
}
