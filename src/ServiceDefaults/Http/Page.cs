using System.Globalization;
using Microsoft.AspNetCore.Http;
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

    /// <summary>
    /// When a page came back full there may be more: say where the next one is (<c>Link: &lt;…&gt;; rel="next"</c>),
    /// keeping the caller's filters (<paramref name="filters"/>: query pairs, null values left out).
    /// </summary>
    public void LinkNext(HttpResponse response, int count, string path, long lastId, params (string Name, object? Value)[] filters)
    {
        if (count < Limit)
        {
            return;
        }

        var query = string.Concat(filters.Where(f => f.Value is not null)
            .Select(f => $"&{f.Name}={Uri.EscapeDataString(Convert.ToString(f.Value, CultureInfo.InvariantCulture)!)}"));
        response.Headers.Link = string.Create(CultureInfo.InvariantCulture, $"<{path}?limit={Limit}&after={lastId}{query}>; rel=\"next\"");
    }
}
