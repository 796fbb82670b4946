using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>Problem-details answers with a human-readable detail, so endpoints say why in one line.</summary>
public static class Problems
{
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult TooManyRequests(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests");
}

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
