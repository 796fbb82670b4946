using AttendanceSystem.Data.Migrations;
using AttendanceSystem.Data.Sessions;
using AttendanceSystem.Data.Teams;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using AttendanceSystem.ServiceDefaults;
using AttendanceSystem.ServiceDefaults.Security;
using Npgsql;

namespace AttendanceSystem.Data;

/// <summary>The key of the <see cref="NpgsqlDataSource"/> for reads a hot standby may serve.</summary>
public static class ReadReplica
{
    public const string Key = "read-replica";
}

/// <summary>The key of the multiplexed <see cref="NpgsqlDataSource"/>: single statements only, no transactions, no LISTEN.</summary>
public static class Multiplexed
{
    public const string Key = "multiplexed";
}

public static class DatabaseExtensions
{
    /// <summary>
    /// The attendance database: one pooled <see cref="NpgsqlDataSource"/> shared by EF Core and any
    /// raw Npgsql work, a pooled <see cref="AttendanceDbContext"/>, a readiness check, and (unless
    /// turned off) migrations applied before the server starts listening.
    /// </summary>
    public static IHostApplicationBuilder AddAttendanceDatabase(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DatabaseOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return Build(options.ConnectionString, provider);
        });

        services.AddDbContextPool<AttendanceDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>())
            .UseSnakeCaseNamingConvention());

        // Reads a standby may serve: their own data source (the primary's when none is configured).
        services.AddKeyedSingleton(ReadReplica.Key, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (string.IsNullOrWhiteSpace(options.ReadConnectionString))
            {
                return provider.GetRequiredService<NpgsqlDataSource>();
            }

            return Build(options.ReadConnectionString, provider);
        });
        // Single statements from many requests at once (punches): Npgsql's multiplexing writes them
        // to a few connections together, one send and one receive for many, each its own transaction.
        services.AddKeyedSingleton(Multiplexed.Key, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return Build(options.ConnectionString, provider, multiplexing: true);
        });
        services.AddDbContextPool<AttendanceReadDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredKeyedService<NpgsqlDataSource>(ReadReplica.Key))
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));

        services.AddSingleton<TokenRevocationList>();
        services.AddSingleton<ITokenRevocations>(provider => provider.GetRequiredService<TokenRevocationList>());
        services.AddSingleton<TeamDirectory>();
        services.AddSingleton<ITeamDirectory>(provider => provider.GetRequiredService<TeamDirectory>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);

        // Registered before the web server's own hosted service, so it runs before Kestrel listens.
        services.AddHostedService<DatabaseMigrator>();
        services.AddHostedService(provider => provider.GetRequiredService<TeamDirectory>());
        services.AddHostedService(provider => provider.GetRequiredService<TokenRevocationList>());
        return builder;
    }

    /// <summary>
    /// A pooled data source. Unless the connection string says otherwise, statements a connection runs
    /// again and again are prepared on it (the punch's INSERT, the feed's reads): parsed and planned
    /// once per connection instead of at every call, which the pool's reset keeps.
    /// </summary>
    private static NpgsqlDataSource Build(string connectionString, IServiceProvider provider, bool multiplexing = false)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Multiplexing |= multiplexing;
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        builder.UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>());
        return builder.Build();
    }
}
