using AttendanceSystem.Data;
using AttendanceSystem.Protos;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Reporter.Sockets;
using AttendanceSystem.Reporter.Upstream;
using AttendanceSystem.ServiceDefaults;
using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter;

public static class ReporterServiceExtensions
{
    public static IHostApplicationBuilder AddReporterServices(this IHostApplicationBuilder builder)
    {
        // The database tells whether a token's employee is still active, and wakes the reporter for notifications.
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

        // The socket's catch-up asks attendance with the client's own token, read back from the authentication result.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer => bearer.SaveToken = true);

        services.AddSingleton<UpstreamFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<UpstreamFeed>());
        services.AddHostedService<NotificationListener>();
        services.AddHealthChecks().AddCheck<UpstreamFeed>("attendance-feed", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    public static WebApplication MapReporterApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ReporterOptions>>().Value;
        var sockets = new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveSeconds), KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveSeconds) };
        // Origins are checked by the endpoint itself, which can say what is wrong and how to allow it.
        app.UseWebSockets(sockets);
        app.MapWebSocketApi();

        // Say goodbye properly (1001) before the server stops accepting.
        var hub = app.Services.GetRequiredService<RelayHub>();
        app.Lifetime.ApplicationStopping.Register(hub.CloseAll);
        return app;
    }
}
