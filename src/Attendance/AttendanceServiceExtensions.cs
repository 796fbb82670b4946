using AttendanceSystem.Attendance.Audit;
using AttendanceSystem.Attendance.Corrections;
using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Attendance.Notifications;
using AttendanceSystem.Attendance.Periods;
using AttendanceSystem.Attendance.Reports;
using AttendanceSystem.Attendance.Schedules;
using AttendanceSystem.Attendance.GrpcApi;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Data;
using AttendanceSystem.Data.Credentials;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Attendance;

public static class AttendanceServiceExtensions
{
    /// <summary>Largest gRPC request; requests carry a token and a few fields.</summary>
    private const int MaxGrpcRequestBytes = 64 * 1024;

    public static IHostApplicationBuilder AddAttendanceServices(this IHostApplicationBuilder builder)
    {
        builder.AddAttendanceDatabase();

        var services = builder.Services;
        services.AddSingleton<IValidateOptions<AttendanceOptions>, AttendanceOptionsValidator>();
        services.AddOptions<AttendanceOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddValidation();
        services.AddCredentials(builder.Configuration);
        services.AddSingleton<BusinessCalendar>();
        services.AddSingleton<PunchStore>();
        services.AddScoped<AttendanceQueries>();
        services.AddSingleton<CorrectionStore>();
        services.AddScoped<NotificationQueries>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<PeriodStore>();
        services.AddScoped<DayPlans>();
        services.AddScoped<MonthlyReports>();
        services.AddSingleton<AutoCheckout>();
        services.AddHostedService(provider => provider.GetRequiredService<AutoCheckout>());
        services.AddSingleton<FeedStore>();
        services.AddSingleton<RecordFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<RecordFeed>());
        services.AddSingleton<FeedDoorbell>();
        services.AddHostedService(provider => provider.GetRequiredService<FeedDoorbell>());
        services.AddHostedService<FeedDoorbellListener>();

        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxGrpcRequestBytes;
            options.Interceptors.Add<GrpcExceptionInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks();
        return builder;
    }

    public static WebApplication MapAttendanceGrpc(this WebApplication app)
    {
        // Authorized like REST ([Authorize] on the service); grpcurl's token may come in the message's jwt field.
        app.MapGrpcService<AttendanceGrpcService>().WithMetadata(new GrpcJwtField(MaxGrpcRequestBytes));
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        return app;
    }
}
