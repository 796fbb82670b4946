using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace AttendanceSystem.ServiceDefaults.Observability;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog to the console: text by default, compact JSON when LOG_FORMAT=json. Framework chatter
    /// is kept at Warning; that also keeps Kestrel's "Request starting …" lines (which carry query
    /// strings, and so tokens) out of the log.
    /// </summary>
    public static IHostApplicationBuilder AddDefaultLogging(this IHostApplicationBuilder builder, string serviceName)
    {
        var json = string.Equals(builder.Configuration["LOG_FORMAT"], "json", StringComparison.OrdinalIgnoreCase);
        var level = Enum.TryParse<LogEventLevel>(builder.Configuration["LOG_LEVEL"], ignoreCase: true, out var parsed)
            ? parsed
            : LogEventLevel.Information;

        // Each host keeps its own logger; Serilog's static one is left alone. With it, a second host in
        // the process (replicas and services in one test run) took the first one's logger over, and
        // disposing any host silenced every other (Log.CloseAndFlush swaps in a silent logger).
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Migrations", LogEventLevel.Information)
                .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
                .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
                .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
                // An unready service answers 503 on /health/ready; that answer is the report, not an error to log.
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
                // A "Serilog" section may still adjust levels; naming the sink assembly spares the
                // start-up scan of every dependency for Serilog extensions (a tenth of a second, and
                // every scanned assembly kept mapped).
                .ReadFrom.Configuration(builder.Configuration, new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly))
                .ReadFrom.Services(services)
                // A refused configuration is reported once, in one line, by RunServiceAsync.
                .Filter.ByExcluding(e => e.Exception is Microsoft.Extensions.Options.OptionsValidationException)
                // EF Core probes its history table before creating it on a fresh database and logs
                // that expected failure as an error; it is not one.
                .Filter.ByExcluding(e => e.Level == LogEventLevel.Error
                    && e.Properties.TryGetValue("commandText", out var sql)
                    && sql.ToString().Contains("__EFMigrationsHistory", StringComparison.Ordinal))
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", serviceName);

            if (json)
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Service}: {Message:lj}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        }, preserveStaticLogger: true);

        var serilogFactory = builder.Services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        builder.Services.Remove(serilogFactory);
        builder.Services.AddSingleton<ILoggerFactory>(services => new CachingLoggerFactory(
            (ILoggerFactory)(serilogFactory.ImplementationInstance
                ?? serilogFactory.ImplementationFactory?.Invoke(services)
                ?? ActivatorUtilities.CreateInstance(services, serilogFactory.ImplementationType!))));
        return builder;
    }

    /// <summary>One line per request, with the path but never the query string.</summary>
    public static IApplicationBuilder UseDefaultRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's own logger: without one, the middleware writes to Serilog's static logger.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, exception) =>
                context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Verbose
                : exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : LogEventLevel.Information;
        });
}
