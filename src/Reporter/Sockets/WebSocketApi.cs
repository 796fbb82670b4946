using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Reporter.Upstream;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Streaming;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter.Sockets;

/// <summary>
/// <c>GET /ws?token=JWT[&amp;after=CURSOR]</c>: the live relay. The token is checked by the same
/// JwtBearer scheme as every REST call (browsers cannot set headers on a WebSocket, so it may come
/// as <c>?token=</c>); every refusal happens before the upgrade, as problem details.
/// </summary>
public static class WebSocketApi
{
    public static IEndpointRouteBuilder MapWebSocketApi(this IEndpointRouteBuilder app)
    {
        // Authenticated by the shared scheme, but not [Authorize]d: the authorization middleware's
        // frame would stay alive with the socket for hours. The endpoint challenges by itself instead.
        app.MapGet("/ws", ConnectAsync).AcceptTokenFromQuery("token")
            .WithSummary("Upgrade to a WebSocket that relays new attendance records live.");
        return app;
    }

    /// <summary>What a socket needs besides its request.</summary>
    public readonly record struct SocketServices(RelayHub Hub, UpstreamFeed Upstream, IOptions<ReporterOptions> Options,
        IOptions<ServiceHttpOptions> Http, ITokenRevocations Revocations, TimeProvider Time);

    /// <summary>Close reason of a socket whose token was revoked while it was open (with 1008).</summary>
    public const string TokenRevoked = "token revoked";

    public static async Task<IResult> ConnectAsync(HttpContext http, string? after, [AsParameters] SocketServices services)
    {
        // A page from another site must not ride on a user's token; clients without an Origin (wscat) are not browsers.
        if (http.Request.Headers.Origin is { Count: > 0 } origin
            && !services.Http.Value.CorsOriginList().Contains(origin.ToString(), StringComparer.OrdinalIgnoreCase))
        {
            return Problems.Forbidden($"Pages from {origin} may not open this WebSocket. To allow it, add that origin to CORS_ORIGINS "
                + "(comma-separated) on the reporter.");
        }

        if (http.User.Identity?.IsAuthenticated != true)
        {
            return TypedResults.Challenge();
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("This endpoint speaks WebSocket: connect with e.g. `wscat -c \"ws://localhost:8103/ws?token=<JWT>\"`.",
                statusCode: StatusCodes.Status400BadRequest, title: "Bad Request");
        }

        FeedCursor? resumeAfter = null;
        if (!string.IsNullOrEmpty(after))
        {
            if (!FeedCursor.TryParse(after, out var parsed))
            {
                return Problems.Invalid("after", "after must be a cursor this system gave out (\"<txid>.<id>\").");
            }

            resumeAfter = parsed;
        }

        if (resumeAfter is not null && !services.Hub.CanResume)
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem("The reporter is starting and cannot resume from a cursor yet; retry in a moment.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable");
        }

        using var session = SocketSession.Join(http, resumeAfter, services);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var client = new ClientConnection(socket);
        // A logout, password or role change, or deactivation ends the socket within moments, not at expiry.
        using var watch = services.Revocations.Watch(http.User, _ => client.End(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, TokenRevoked));
        await client.RunAsync(session.Hello, session.Records, session.Expires, services.Time);
        return TypedResults.Empty;
    }
}
