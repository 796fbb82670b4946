using AttendanceSystem.Data;
using AttendanceSystem.Protos;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Reporter.Sockets;
using AttendanceSystem.Reporter.Upstream;
using AttendanceSystem.ServiceDefaults;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter;

public static class ReporterServiceExtensions
{
    public static IHostApplicationBuilder AddReporterServices(this IHostApplicationBuilder builder)
    {
        // The database only tells whether a token's employee is still active.
        builder.AddAttendanceDatabase();

        var services = builder.Services;
        services.AddOptions<ReporterOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RelayHub>();

        services.AddGrpcClient<AttendanceService.AttendanceServiceClient>((provider, client) =>
                client.Address = new Uri(provider.GetRequiredService<IOptions<ReporterOptions>>().Value.AttendanceGrpcUrl))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Notice a dead attendance process even when no record flows.
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                EnableMultipleHttp2Connections = true,
            });

        services.AddSingleton<UpstreamFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<UpstreamFeed>());
        services.AddHealthChecks().AddCheck<UpstreamFeed>("attendance-feed", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    public static WebApplication MapReporterApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ReporterOptions>>().Value;
        var sockets = new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveSeconds), KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveSeconds) };
        foreach (var origin in options.AllowedOriginList())
        {
            sockets.AllowedOrigins.Add(origin);
        }

        app.UseWebSockets(sockets);
        app.MapWebSocketApi();

        // Say goodbye properly (1001) before the server stops accepting.
        var hub = app.Services.GetRequiredService<RelayHub>();
        app.Lifetime.ApplicationStopping.Register(() => hub.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "server going away"));
        return app;
    }
}
