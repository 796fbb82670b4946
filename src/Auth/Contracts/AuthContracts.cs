using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Auth.Contracts;

public sealed record RegisterRequest(
    [property: Required]
    [property: RegularExpression(UsernameRules.Pattern, ErrorMessage = "username must be 3–64 of letters, digits, '.', '_', '-'.")]
    string Username,
    [property: Required]
    [property: StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength, ErrorMessage = PasswordRules.Message)]
    string Password);

public sealed record RegisterResponse(string Message, int EmployeeId, string Token);

public sealed record LoginRequest(
    [property: Required] [property: MaxLength(256)] string Username,
    [property: Required] [property: MaxLength(1024)] string Password);

public sealed record LoginResponse(string Token, DateTime ExpiresAt, int EmployeeId, string Role);

public sealed record ChangePasswordRequest(
    [property: Required] [property: MaxLength(1024)] string CurrentPassword,
    [property: Required]
    [property: StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength, ErrorMessage = "new_password must be 8–128 characters.")]
    string NewPassword);

public sealed record EmployeeSummary(int Id, string Username);

public sealed record EmployeeDetails(int Id, string Username, string Role, bool Active, DateTime CreatedAt)
{
    public static EmployeeDetails From(Employee employee) =>
        new(employee.Id, employee.Username, employee.Role, employee.Active, employee.CreatedAt);
}

public sealed record SetRoleRequest([property: Required] string Role);

public static class PasswordRules
{
    public const int MinLength = 8;
    public const int MaxLength = 128;
    public const string Message = "password must be 8–128 characters.";
}
