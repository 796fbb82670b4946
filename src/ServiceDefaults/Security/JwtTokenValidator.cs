using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Validates a raw token with exactly the rules of the REST bearer scheme, for callers that do not
/// come through it: gRPC's <c>jwt</c> field and the reporter's <c>?token=</c>.
/// </summary>
public sealed class JwtTokenValidator(TokenValidationParametersFactory parameters, IServiceProvider services)
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <returns>The caller, or null with a reason that never echoes the token.</returns>
    public async Task<(ClaimsPrincipal? User, string Failure)> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (null, JwtAuthenticationExtensions.DescribeFailure(null));
        }

        var result = await Handler.ValidateTokenAsync(token, parameters.Create());
        if (!result.IsValid)
        {
            return (null, JwtAuthenticationExtensions.DescribeFailure(result.Exception));
        }

        var user = new ClaimsPrincipal(result.ClaimsIdentity);
        var employeeId = user.GetEmployeeId();
        var status = services.GetService<IAccountStatus>();
        return status is not null && employeeId > 0 && !await status.IsActiveAsync(employeeId, CancellationToken.None)
            ? (null, JwtAuthenticationExtensions.DescribeFailure(new AccountDeactivatedException()))
            : (user, "");
    }
}
