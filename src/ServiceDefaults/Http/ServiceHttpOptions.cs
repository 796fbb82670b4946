using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>HTTP settings every service shares.</summary>
public sealed class ServiceHttpOptions : IValidatableObject
{
    /// <summary>Comma-separated browser origins allowed by CORS and to open the reporter's WebSocket (the client page).</summary>
    [ConfigurationKeyName("CORS_ORIGINS")]
    public string CorsOrigins { get; set; } = "http://127.0.0.1:5500,http://localhost:5500";

    [ConfigurationKeyName("REQUEST_BODY_LIMIT_BYTES")]
    [Range(1024, 16 * 1024 * 1024)]
    public long RequestBodyLimitBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Comma-separated addresses or CIDR networks of the reverse proxies in front of this service
    /// (the client host). Only their X-Forwarded-For/-Proto/-Prefix are believed; empty: nobody's.
    /// </summary>
    [ConfigurationKeyName("KNOWN_PROXIES")]
    public string KnownProxies { get; set; } = "";

    public string[] CorsOriginList() =>
        CorsOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<IPNetwork> KnownProxyNetworks() => IpNetworks.ParseList(KnownProxies);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        IpNetworks.Validate(KnownProxies, "KNOWN_PROXIES", nameof(KnownProxies));
}
