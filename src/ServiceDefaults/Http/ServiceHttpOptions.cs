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

    public IEnumerable<IPNetwork> KnownProxyNetworks() =>
        KnownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseNetwork).OfType<IPNetwork>();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var entry in KnownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseNetwork(entry) is null)
            {
                yield return new ValidationResult(
                    $"KNOWN_PROXIES: '{entry}' is neither an IP address nor a CIDR network (e.g. 10.0.0.5 or 172.28.0.0/24).", [nameof(KnownProxies)]);
            }
        }
    }

    private static IPNetwork? ParseNetwork(string entry) =>
        IPNetwork.TryParse(entry, out var network) ? network
        : IPAddress.TryParse(entry, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
        : null;
}
