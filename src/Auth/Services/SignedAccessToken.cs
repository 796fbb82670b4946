using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AttendanceSystem.Auth.Services;

/// <summary>
/// Whose access token a refresh request carries: checked like any token (signature, issuer,
/// audience) except its lifetime, since an expired one is the usual reason to refresh.
/// </summary>
public static class SignedAccessToken
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public static async Task<int?> EmployeeOfAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var bearer = http.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = bearer.TokenValidationParameters.Clone();
        parameters.ValidateLifetime = false;
        var result = await Handler.ValidateTokenAsync(header["Bearer ".Length..].Trim(), parameters);
        return result.IsValid && result.Claims.TryGetValue(JwtClaims.EmployeeId, out var id)
            && int.TryParse(Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture), out var employeeId)
            ? employeeId
            : null;
    }
}
