namespace AttendanceSystem.Auth.Services;

/// <summary>
/// The page's copy of the refresh token: an HttpOnly, SameSite=Strict cookie no script can read and
/// no other site can send, scoped to auth's own paths (behind the client host's proxy, /api/auth).
/// </summary>
public static class RefreshCookie
{
    public const string Name = "refresh_token";

    public const string Missing = "A refresh token is required: send {\"refresh_token\": \"…\"} (from POST /login) or the refresh_token cookie.";

    public static string? Read(HttpContext http) =>
        http.Request.Cookies.TryGetValue(Name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public static void Set(HttpContext http, SignedIn signedIn) =>
        http.Response.Cookies.Append(Name, signedIn.RefreshToken, Options(http, signedIn.RefreshExpiresAt));

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, null));

    private static CookieOptions Options(HttpContext http, DateTime? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value + "/" : "/",
        Expires = expires is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null,
        IsEssential = true,
    };
}
