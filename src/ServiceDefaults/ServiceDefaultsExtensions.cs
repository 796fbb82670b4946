using System.Text.Json;
using System.Text.Json.Serialization;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Observability;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace AttendanceSystem.ServiceDefaults;

/// <summary>
/// The cross-cutting parts every service shares: logging, telemetry, JWT validation, problem
/// details, snake_case JSON, request limits, CORS and health endpoints.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";
    private const string CorsPolicy = "client";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.AddDefaultLogging(serviceName);
        builder.AddDefaultTelemetry(serviceName);
        builder.AddJwtAuthentication();

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ServiceHttpOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDefaults.Complete);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Let binding failures (malformed JSON, "abc" for an int) reach the exception handler,
        // which answers with a detail instead of an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServiceHttpOptions>>((kestrel, http) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = http.Value.RequestBodyLimitBytes;
        });

        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<ServiceHttpOptions>>((cors, http) => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(http.Value.CorsOriginList())
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders("Location", "Link", "Retry-After", CorrelationId.HeaderName)));

        // Behind the client host's proxy: believe its X-Forwarded-* (the client's address for login
        // throttling, the /api/auth prefix for the refresh cookie's path), and nobody else's.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ServiceHttpOptions>>((forwarded, http) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedPrefix;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in http.Value.KnownProxyNetworks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });

        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        if (builder.Environment.IsDevelopment())
        {
            services.AddOpenApi();
        }

        return builder;
    }

    /// <summary>snake_case like the original system; unknown fields and nulls for required values are errors, not silently dropped.</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.RespectNullableAnnotations = true;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        json.Converters.Add(new UtcDateTimeConverter());
    }

    /// <summary>The middleware every service runs, in order, and the health (and, in Development, API docs) endpoints.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        // With no known proxy the middleware would believe everyone: then it is left out.
        if (app.Services.GetRequiredService<IOptions<ServiceHttpOptions>>().Value.KnownProxyNetworks().Any())
        {
            app.UseForwardedHeaders();
        }

        app.UseSecurityHeaders();
        // Request logging outside the exception handler, so it records the answer actually sent.
        app.UseCorrelationId();
        app.UseDefaultRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseAuthorization();

        var health = app.MapGroup("/health").AllowAnonymous();
        health.MapHealthChecks("/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        health.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });

        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
            app.MapScalarApiReference();
        }

        return app;
    }

    /// <summary>
    /// Runs the service; a configuration it refuses (a weak JWT secret, say) ends start-up with one
    /// clear log line and exit code 1 instead of a stack trace.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            app.Logger.LogCritical("Refusing to start: {Reason}", string.Join(" ", ex.Failures));
            return 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            app.Logger.LogCritical(ex, "Failed to start");
            return 1;
        }
    }
}
