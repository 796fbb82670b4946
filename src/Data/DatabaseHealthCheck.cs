using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AttendanceSystem.Data;

/// <summary>
/// Ready when PostgreSQL answers a trivial query on the shared pool. Plain Npgsql on purpose: a
/// probe through the DbContext built the EF Core model in every service at start, so a service that
/// never queries through EF (the reporter) carried all of EF's compiled code for nothing.
/// </summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL did not answer.", ex);
        }
    }
}
