using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Data;

public sealed class DatabaseOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=localhost;Port=5432;Database=attendance;Username=attendance;Password=…</c>.</summary>
    [ConfigurationKeyName("DATABASE_CONNECTION_STRING")]
    [Required(ErrorMessage = "DATABASE_CONNECTION_STRING is not set: give the Npgsql connection string of the attendance database.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Optional: a PostgreSQL hot standby of that database for long reads (past days' history,
    /// summaries, monthly reports, CSV export, gRPC List). Writes, the live feed and anything that
    /// must read its own writes stay on the primary. With several hosts and
    /// <c>Target Session Attributes=prefer-standby</c>, Npgsql falls back to the primary when no standby answers.
    /// </summary>
    [ConfigurationKeyName("DATABASE_READ_CONNECTION_STRING")]
    public string? ReadConnectionString { get; set; }

    /// <summary>Apply pending EF Core migrations at start-up (safe when several services start at once).</summary>
    [ConfigurationKeyName("DATABASE_MIGRATE_ON_STARTUP")]
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How long start-up waits for the database to accept connections.</summary>
    [ConfigurationKeyName("DATABASE_STARTUP_TIMEOUT_SECONDS")]
    [Range(0, 600)]
    public int StartupTimeoutSeconds { get; set; } = 30;
}

/// <summary>Malformed connection strings stop the start, not the first request that needs them.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        foreach (var (setting, value) in new[]
                 {
                     ("DATABASE_CONNECTION_STRING", options.ConnectionString),
                     ("DATABASE_READ_CONNECTION_STRING", options.ReadConnectionString),
                 })
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(value ?? "");
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail($"{setting} is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
