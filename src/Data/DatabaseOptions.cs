using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Data;

public sealed class DatabaseOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=localhost;Port=5432;Database=attendance;Username=attendance;Password=…</c>.</summary>
    [ConfigurationKeyName("DATABASE_CONNECTION_STRING")]
    [Required(ErrorMessage = "DATABASE_CONNECTION_STRING is not set: give the Npgsql connection string of the attendance database.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending EF Core migrations at start-up (safe when several services start at once).</summary>
    [ConfigurationKeyName("DATABASE_MIGRATE_ON_STARTUP")]
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How long start-up waits for the database to accept connections.</summary>
    [ConfigurationKeyName("DATABASE_STARTUP_TIMEOUT_SECONDS")]
    [Range(0, 600)]
    public int StartupTimeoutSeconds { get; set; } = 30;
}
