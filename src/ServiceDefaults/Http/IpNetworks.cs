using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>Settings that list addresses or CIDR networks (KNOWN_PROXIES, PUNCH_ALLOWED_NETWORKS).</summary>
public static class IpNetworks
{
    /// <summary>"10.0.0.0/8" or a single address ("10.0.0.5" = 10.0.0.5/32); null when it is neither.</summary>
    public static IPNetwork? Parse(string entry) =>
        IPNetwork.TryParse(entry, out var network) ? network
        : IPAddress.TryParse(entry, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
        : null;

    public static IReadOnlyList<IPNetwork> ParseList(string list) => Entries(list).Select(Parse).OfType<IPNetwork>().ToList();

    /// <summary>One validation error per entry that is no address or network, naming the setting.</summary>
    public static IEnumerable<ValidationResult> Validate(string list, string setting, string member) =>
        Entries(list).Where(entry => Parse(entry) is null).Select(entry => new ValidationResult(
            $"{setting}: '{entry}' is neither an IP address nor a CIDR network (e.g. 10.0.0.5 or 172.28.0.0/24).", [member]));

    /// <summary>Whether the address is in any of the networks; an IPv4 client seen as IPv6 (::ffff:10.0.0.5) counts as IPv4.</summary>
    public static bool Contains(IEnumerable<IPNetwork> networks, IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(network => network.Contains(plain));
    }

    private static string[] Entries(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
