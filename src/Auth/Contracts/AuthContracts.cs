using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AttendanceSystem.Auth.Contracts;

public sealed record RegisterRequest(
    [property: Required]
    [property: RegularExpression(UsernameRules.Pattern, ErrorMessage = "username must be 3–64 of letters, digits, '.', '_', '-'.")]
    string Username,
    [property: Required]
    [property: StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength, ErrorMessage = PasswordRules.Message)]
    string Password);

public sealed record RegisterResponse(string Message, int EmployeeId, string Token, DateTime ExpiresAt, string RefreshToken, DateTime RefreshExpiresAt);

public sealed record LoginRequest(
    [property: Required] [property: MaxLength(256)] string Username,
    [property: Required] [property: MaxLength(1024)] string Password);

/// <summary>A sign-in or a refresh: the access token, and the refresh token that renews it (also set as an HttpOnly cookie).</summary>
public sealed record LoginResponse(string Token, DateTime ExpiresAt, int EmployeeId, string Role, string RefreshToken, DateTime RefreshExpiresAt)
{
    public static LoginResponse From(Services.SignedIn signedIn) => new(signedIn.Access.Token, signedIn.Access.ExpiresAt,
        signedIn.EmployeeId, signedIn.Role, signedIn.RefreshToken, signedIn.RefreshExpiresAt);
}

/// <summary><c>POST /token/refresh</c> and <c>POST /logout</c>: the refresh token, unless the cookie carries it.</summary>
public sealed record RefreshRequest([property: MaxLength(256)] string? RefreshToken);

public sealed record ChangePasswordRequest(
    [property: Required] [property: MaxLength(1024)] string CurrentPassword,
    [property: Required]
    [property: StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength, ErrorMessage = "new_password must be 8–128 characters.")]
    string NewPassword);

/// <summary>
/// A person in a list: everyone sees id, username and full name; the rest only for people in the
/// caller's scope (themselves; everyone for an admin). Absent fields are left out of the JSON.
/// </summary>
public sealed record EmployeeListItem(
    int Id,
    string Username,
    string? FullName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Active = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? CreatedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? HasPhoto = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TeamId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ScheduleId = null)
{
    /// <summary>What a caller sees of <paramref name="e"/>: everything in scope, else id, username and full name.</summary>
    public static EmployeeListItem For(Employee e, bool hasPhoto, bool inScope) => inScope
        ? new(e.Id, e.Username, e.FullName, e.Email, e.Role, e.Active, e.CreatedAt, hasPhoto, e.TeamId, e.ScheduleId)
        : new(e.Id, e.Username, e.FullName);
}

public sealed record EmployeeDetails(
    int Id, string Username, string? FullName, string? Email, string Role, bool Active, DateTime CreatedAt, bool HasPhoto, int? TeamId, int? ScheduleId)
{
    public static EmployeeDetails From(Employee employee, bool hasPhoto) =>
        new(employee.Id, employee.Username, employee.FullName, employee.Email, employee.Role, employee.Active, employee.CreatedAt, hasPhoto,
            employee.TeamId, employee.ScheduleId);
}

/// <summary><c>POST /employees</c> (admin): without a password, one is generated and shown once.</summary>
public sealed record CreateEmployeeRequest(
    [property: Required]
    [property: RegularExpression(UsernameRules.Pattern, ErrorMessage = "username must be 3–64 of letters, digits, '.', '_', '-'.")]
    string Username,
    string? FullName = null,
    string? Email = null,
    string? Role = null,
    [property: StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength, ErrorMessage = PasswordRules.Message)]
    string? Password = null,
    int? TeamId = null,
    int? ScheduleId = null);

public sealed record CreatedEmployee(EmployeeDetails Employee, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InitialPassword);

/// <summary>
/// <c>PATCH /employees/{id}</c>: a field given sets it, a field left out stays; "" clears a name or
/// email, null takes someone out of their team or schedule (those two: admins only).
/// </summary>
public sealed record UpdateEmployeeRequest(
    string? FullName = null, string? Email = null, Settable<int?> TeamId = default, Settable<int?> ScheduleId = default);

public sealed record SetRoleRequest([property: Required] string Role);

public static class PasswordRules
{
    public const int MinLength = 8;
    public const int MaxLength = 128;
    public const string Message = "password must be 8–128 characters.";
}
