namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>The values of a token's <c>role</c> claim, and of <c>employees.role</c> (the database refuses any other person's role).</summary>
public static class Roles
{
    public const string Employee = "employee";

    /// <summary>Manages a team: sees and approves its members, as an admin does everyone.</summary>
    public const string Manager = "manager";

    public const string Admin = "admin";

    /// <summary>Held only by tokens a service mints for itself (the reporter), never by a person.</summary>
    public const string Service = "service";

    /// <summary>A role a person can hold.</summary>
    public static bool IsPersonRole(string? role) => role is Employee or Manager or Admin;

    /// <summary>May be a team's manager.</summary>
    public static bool CanManage(string? role) => role is Manager or Admin;

    /// <summary>What a bad role is told.</summary>
    public const string Message = $"role must be '{Employee}', '{Manager}' or '{Admin}'.";
}

/// <summary>Authorization policy names shared by every service.</summary>
public static class Policies
{
    public const string Admin = "admin";

    /// <summary>Managers and admins: those who may have more than themselves in scope (presence, export, reports).</summary>
    public const string Supervisor = "supervisor";
}
