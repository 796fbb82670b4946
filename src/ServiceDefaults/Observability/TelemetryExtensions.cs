using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AttendanceSystem.ServiceDefaults.Observability;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics and traces for HTTP, outgoing calls and PostgreSQL, exported by OTLP, when an endpoint
    /// is configured. Without one nothing is collected: an activity per request and per SQL command
    /// that nobody reads costs every request, and an open WebSocket keeps its request's activity.
    /// </summary>
    public static IHostApplicationBuilder AddDefaultTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql")
                .AddMeter(AttendanceMeters.Name))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(AttendanceMeters.Name))
            .UseOtlpExporter();
        return builder;
    }
}

/// <summary>The name under which the services publish their own meters and activity sources.</summary>
public static class AttendanceMeters
{
    public const string Name = "AttendanceSystem";
}
