using System.Net;
using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Attendance.Punches;

/// <summary>
/// PUNCH_ALLOWED_NETWORKS as an endpoint filter: a punch from elsewhere is refused (403) before it
/// is read. The address is the connection's, or X-Forwarded-For's when the connection is a
/// KNOWN_PROXIES proxy (the forwarded-headers middleware decides that, once, for every service).
/// </summary>
public sealed class PunchNetworks(IOptions<AttendanceOptions> options) : IEndpointFilter
{
    private readonly IReadOnlyList<IPNetwork> _allowed = IpNetworks.ParseList(options.Value.AllowedNetworks);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_allowed.Count == 0)
        {
            return await next(context);
        }

        var address = context.HttpContext.Connection.RemoteIpAddress;
        if (address is not null && IpNetworks.Contains(_allowed, address))
        {
            return await next(context);
        }

        var from = address is null ? "an unknown address" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        return Problems.Forbidden(
            $"Punching is allowed only from {string.Join(", ", _allowed)}; this request came from {from}.");
    }
}
