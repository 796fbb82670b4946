using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>HTTP settings every service shares.</summary>
public sealed class ServiceHttpOptions
{
    /// <summary>Comma-separated browser origins allowed by CORS (the client page).</summary>
    [ConfigurationKeyName("CORS_ORIGINS")]
    public string CorsOrigins { get; set; } = "http://127.0.0.1:5500,http://localhost:5500";

    [ConfigurationKeyName("REQUEST_BODY_LIMIT_BYTES")]
    [Range(1024, 16 * 1024 * 1024)]
    public long RequestBodyLimitBytes { get; set; } = 64 * 1024;

    public string[] CorsOriginList() =>
        CorsOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
