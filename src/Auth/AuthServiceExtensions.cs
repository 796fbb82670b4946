using AttendanceSystem.Auth.Services;

namespace AttendanceSystem.Auth;

public static class AuthServiceExtensions
{
    public static IHostApplicationBuilder AddAuthServices(this IHostApplicationBuilder builder)
    {
        builder.AddAttendanceDatabase();

        var services = builder.Services;
        services.AddOptions<AuthOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddValidation();
        services.AddCredentials(builder.Configuration);
        services.AddSingleton<SessionTokens>();
        services.AddHostedService<SessionHousekeeping>();
        // After the migrator (added by AddAttendanceDatabase): the table must exist first.
        services.AddHostedService<AdminSeeder>();
        return builder;
    }
}
