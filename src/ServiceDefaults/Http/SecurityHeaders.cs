using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>The headers every HTTP answer carries, whoever writes the body (an endpoint, an error, a proxy).</summary>
public static class SecurityHeaders
{
    /// <summary>For APIs: nothing may frame them, sniff their types or learn where a user came from.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string contentSecurityPolicy = ApiPolicy,
        string? permissionsPolicy = null) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // Development's API page (/scalar) loads its own scripts; everywhere else the strict policy holds.
                if (!context.Request.Path.StartsWithSegments("/scalar"))
                {
                    headers.ContentSecurityPolicy = contentSecurityPolicy;
                }

                if (permissionsPolicy is not null)
                {
                    headers["Permissions-Policy"] = permissionsPolicy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
}
