namespace AttendanceSystem.ServiceDefaults.Security;

public static class BearerToken
{
    /// <summary>The token of an <c>Authorization: Bearer …</c> value; null for anything else.</summary>
    public static string? FromHeader(string? value) =>
        value is not null && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? value["Bearer ".Length..].Trim()
            : null;
}
