using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>Keyset paging (<c>?limit=&amp;after=</c>), validated rather than clamped.</summary>
public readonly record struct Page(int Limit, long After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static bool TryCreate(int? limit, long? after, out Page page, out ValidationProblem? problem)
    {
        page = new Page(limit ?? DefaultLimit, after ?? 0);
        problem = page.Limit is < 1 or > MaxLimit
            ? Problems.Invalid("limit", $"limit must be between 1 and {MaxLimit}.")
            : page.After < 0
                ? Problems.Invalid("after", "after must be 0 or a positive id.")
                : null;
        return problem is null;
    }
}
