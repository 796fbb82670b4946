using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>The <c>Idempotency-Key</c> header's rule: 1–128 visible ASCII characters.</summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 128;

    public static bool IsValid(string? key, out ValidationProblem? problem)
    {
        problem = key is not null && (key.Length is 0 or > MaxLength || !key.All(c => c is > ' ' and <= '~'))
            ? Problems.Invalid("Idempotency-Key", $"The Idempotency-Key header must be 1–{MaxLength} visible ASCII characters.")
            : null;
        return problem is null;
    }
}
