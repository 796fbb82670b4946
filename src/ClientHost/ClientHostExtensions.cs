using System.Text.Json;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Observability;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace AttendanceSystem.ClientHost;

public static class ClientHostExtensions
{
    /// <summary>The page's routes on this host, each to its service: one origin, so the page needs no CORS.</summary>
    private static readonly (string Route, string Prefix, string Path)[] Routes =
    [
        ("auth", "/api/auth", "/api/auth/{**rest}"),
        ("attendance", "/api/attendance", "/api/attendance/{**rest}"),
        ("reporter", "", "/ws"),
    ];

    public static IHostApplicationBuilder AddClientHostServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultLogging("client");
        var services = builder.Services;
        services.AddOptions<ClientHostOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddHealthChecks();

        var options = builder.Configuration.Get<ClientHostOptions>() ?? new ClientHostOptions();
        var upstreams = new Dictionary<string, string>
        {
            ["auth"] = options.AuthUrl, ["attendance"] = options.AttendanceUrl, ["reporter"] = options.ReporterUrl,
        };
        services.AddReverseProxy()
            .LoadFromMemory(
                Routes.Select(route => new RouteConfig
                {
                    RouteId = route.Route,
                    ClusterId = route.Route,
                    Match = new RouteMatch { Path = route.Path },
                    Transforms = route.Prefix.Length == 0 ? null : [new Dictionary<string, string> { ["PathRemovePrefix"] = route.Prefix }],
                }).ToList(),
                upstreams.Select(upstream => new ClusterConfig
                {
                    ClusterId = upstream.Key,
                    Destinations = new Dictionary<string, DestinationConfig> { ["only"] = new() { Address = upstream.Value } },
                }).ToList())
            .AddTransforms(context =>
            {
                // Replaced, not appended: what a caller claims in its own X-Forwarded-For never gets through.
                context.UseDefaultForwarders = false;
                context.AddXForwardedFor(action: ForwardedTransformActions.Set);
                context.AddXForwardedProto(action: ForwardedTransformActions.Set);
                context.AddXForwardedHost(action: ForwardedTransformActions.Set);
                // The service learns the prefix it sits under (auth scopes its refresh cookie to it).
                if (Routes.FirstOrDefault(route => route.Route == context.Route.RouteId).Prefix is { Length: > 0 } prefix)
                {
                    context.AddRequestHeader("X-Forwarded-Prefix", prefix, append: false);
                }
            });
        return builder;
    }

    public static WebApplication MapClientHost(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ClientHostOptions>>().Value;
        app.UseSecurityHeaders(ContentSecurityPolicy(options),
            permissionsPolicy: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()");
        app.UseCorrelationId();
        app.UseDefaultRequestLogging();

        var config = JsonSerializer.Serialize(new
        {
            authUrl = options.PageAuthUrl,
            attendanceUrl = options.PageAttendanceUrl,
            reporterUrl = options.PageReporterUrl,
        });
        app.MapGet("/config.js", () => Results.Text($"window.ATTENDANCE_CONFIG = {config};\n", "text/javascript"));
        app.MapGet("/sw.js", (HttpContext http, IWebHostEnvironment environment) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return PageShell.ServiceWorker(environment);
        });
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapReverseProxy();
        app.UseDefaultFiles();
        // The manifest's type is not in the framework's default list.
        var types = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
        types.Mappings[".webmanifest"] = "application/manifest+json";
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = types });
        return app;
    }

    /// <summary>Scripts, styles and calls from this origin only (plus any service address configured for the page).</summary>
    private static string ContentSecurityPolicy(ClientHostOptions options)
    {
        var elsewhere = new[] { options.PageAuthUrl, options.PageAttendanceUrl, options.PageReporterUrl }
            .Where(url => Uri.TryCreate(url, UriKind.Absolute, out _))
            .Select(url => new Uri(url).GetLeftPart(UriPartial.Authority));
        var connect = string.Join(' ', new[] { "'self'" }.Concat(elsewhere).Distinct());
        return $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src {connect}; "
            + "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
