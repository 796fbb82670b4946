using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Whose records a caller may see: the one place that decides it, for REST, gRPC and the WebSocket
/// alike, and whose corrections a caller may approve. Yourself; plus the members of the teams you
/// manage; everyone for an admin and for the reporter's service token. Team membership is asked of
/// <see cref="ITeamDirectory"/> at each check, so a scope held by an open stream or socket follows
/// team changes without reconnecting.
/// </summary>
public sealed record AccessScope(int EmployeeId, string Role, ITeamDirectory? Teams)
{
    public static AccessScope Of(ClaimsPrincipal user, ITeamDirectory? teams) => new(user.GetEmployeeId(), user.GetRole(), teams);

    /// <summary>Admins and the reporter's service token see everyone.</summary>
    public bool Everyone => Role is Roles.Admin or Roles.Service;

    public bool IsAdmin => Role is Roles.Admin;

    /// <summary>May see more than themself, now or after a team change: an admin, or a manager (of no team yet, perhaps).</summary>
    public bool SeesOthers => Everyone || Role is Roles.Manager;

    /// <summary>The caller's scope, for any channel that has the request.</summary>
    public static AccessScope Of(HttpContext http) => Of(http.User, http.RequestServices.GetService<ITeamDirectory>());

    /// <summary>Lets an endpoint take the caller's scope as a parameter.</summary>
    public static ValueTask<AccessScope?> BindAsync(HttpContext http) => ValueTask.FromResult<AccessScope?>(Of(http));

    public bool Includes(int employeeId) =>
        Everyone || employeeId == EmployeeId || Manages(employeeId);

    /// <summary>Approves (or fixes directly) this employee's corrections: an admin or their manager, never for one's own records.</summary>
    public bool Approves(int employeeId) =>
        employeeId != EmployeeId && EmployeeId != 0 && (IsAdmin || Manages(employeeId));

    /// <summary>Everyone in scope as ids (yourself first), or null for everyone: what a query filters by.</summary>
    public IReadOnlyCollection<int>? Ids => Everyone
        ? null
        : [EmployeeId, .. Teams?.MembersManagedBy(EmployeeId).Where(id => id != EmployeeId) ?? []];

    private bool Manages(int employeeId) => EmployeeId != 0 && Teams?.Manages(EmployeeId, employeeId) == true;

    /// <summary>Why a caller out of scope is refused, in the words every channel uses.</summary>
    public const string OutOfScope = "You may read your own records, your team's as its manager, and anyone's as an admin.";
}
