using System.Globalization;
using System.Security.Claims;

namespace AttendanceSystem.ServiceDefaults.Security;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's employee id; 0 for a service token or an anonymous caller.</summary>
    public static int GetEmployeeId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(JwtClaims.EmployeeId), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : 0;

    public static string GetRole(this ClaimsPrincipal user) => user.FindFirstValue(JwtClaims.Role) ?? "";
}
