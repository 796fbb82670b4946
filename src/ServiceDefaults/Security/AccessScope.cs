using System.Security.Claims;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Whose records a caller may see: the one place that decides it, for REST, gRPC and the WebSocket
/// alike, and whose corrections a caller may approve. Today: yourself, or everyone for an admin
/// and for the reporter's service token; admins approve.
/// </summary>
public readonly record struct AccessScope(int EmployeeId, bool Everyone, bool Approver = false)
{
    public static AccessScope Of(ClaimsPrincipal user) =>
        new(user.GetEmployeeId(), user.GetRole() is Roles.Admin or Roles.Service, user.GetRole() is Roles.Admin);

    public bool Includes(int employeeId) => Everyone || employeeId == EmployeeId;

    /// <summary>Approves (or fixes directly) this employee's corrections: never one's own records.</summary>
    public bool Approves(int employeeId) => Approver && Includes(employeeId) && employeeId != EmployeeId;

    /// <summary>Why a caller out of scope is refused, in the words every channel uses.</summary>
    public const string OutOfScope = "Only an admin may read another employee's records.";
}
