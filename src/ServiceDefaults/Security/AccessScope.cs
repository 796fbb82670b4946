using System.Security.Claims;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Whose records a caller may see: the one place that decides it, for REST, gRPC and the WebSocket
/// alike. Today: yourself, or everyone for an admin and for the reporter's service token.
/// </summary>
public readonly record struct AccessScope(int EmployeeId, bool Everyone)
{
    public static AccessScope Of(ClaimsPrincipal user) =>
        new(user.GetEmployeeId(), user.GetRole() is Roles.Admin or Roles.Service);

    public bool Includes(int employeeId) => Everyone || employeeId == EmployeeId;

    /// <summary>Why a caller out of scope is refused, in the words every channel uses.</summary>
    public const string OutOfScope = "Only an admin may read another employee's records.";
}
