namespace AttendanceSystem.Data.Credentials;

public static class CredentialExtensions
{
    /// <summary>Password and PIN hashing and the shared throttle of failed attempts, configured by <see cref="CredentialOptions"/>.</summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CredentialOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<CurrentPassword>();
        return services;
    }
}
