namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>The values of a token's <c>role</c> claim, and of <c>employees.role</c> (the database refuses any other person's role).</summary>
public static class Roles
{
    public const string Employee = "employee";
    public const string Admin = "admin";

    /// <summary>Held only by tokens a service mints for itself (the reporter), never by a person.</summary>
    public const string Service = "service";

    /// <summary>A role a person can hold.</summary>
    public static bool IsPersonRole(string? role) => role is Employee or Admin;
}

/// <summary>Authorization policy names shared by every service.</summary>
public static class Policies
{
    public const string Admin = "admin";
}
