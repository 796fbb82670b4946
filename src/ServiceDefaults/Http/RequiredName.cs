using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>A required name (a team's, a schedule's, a holiday's): trimmed, 1 to a maximum of characters, or one answer saying so.</summary>
public static class RequiredName
{
    public static bool TryNormalize(string? given, int maxLength, out string name, out ValidationProblem? problem, string field = "name")
    {
        name = given?.Trim() ?? "";
        problem = name.Length == 0 || name.Length > maxLength
            ? Problems.Invalid(field, $"{field} is required: 1–{maxLength} characters.")
            : null;
        return problem is null;
    }
}
