using System.Security.Claims;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Reporter.Upstream;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter.Sockets;

/// <summary>
/// <c>GET /ws?token=JWT[&amp;after=CURSOR]</c>: the live relay. The token is checked by the same
/// JwtBearer scheme as every REST call (browsers cannot set headers on a WebSocket, so it may come
/// as <c>?token=</c>); every refusal happens before the upgrade, as problem details.
/// </summary>
public static class WebSocketApi
{
    private const string Resync = "cursor older than the replay window";

    public static IEndpointRouteBuilder MapWebSocketApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ws", ConnectAsync).RequireAuthorization().AcceptTokenFromQuery("token")
            .WithSummary("Upgrade to a WebSocket that relays new attendance records live.");
        return app;
    }

    /// <summary>What a socket needs besides its request.</summary>
    public readonly record struct SocketServices(RelayHub Hub, UpstreamFeed Upstream, IOptions<ReporterOptions> Options, TimeProvider Time);

    public static async Task<IResult> ConnectAsync(HttpContext http, ClaimsPrincipal user, string? after, [AsParameters] SocketServices services)
    {
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

        // Read before the upgrade: the catch-up asks attendance with the client's own token, so
        // attendance decides what it may see, exactly as for its own gRPC callers.
        var token = await http.GetTokenAsync("access_token") ?? "";
        var scope = user.GetScope();
        var expires = http.GetTokenExpiry();
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var client = new ClientConnection(socket);
        var join = services.Hub.Join(scope, resumeAfter);
        using var live = join.Live;
        var hello = Frames.Hello(scope.EmployeeId, user.GetRole(), HelloCursor(live.StartsAfter, resumeAfter));
        var catchUp = new CatchUp(join, services.Upstream, token, services.Options.Value.ReplayWindowCount);
        await client.RunAsync(hello, end => live.ReplayThenLiveAsync(resumeAfter, catchUp.ReadAsync, end), expires, services.Time);
        return TypedResults.Empty;
    }

    /// <summary>The position the client is at once the hello arrives: the later of its cursor and the live start ("" before any is known).</summary>
    private static string HelloCursor(FeedCursor liveStart, FeedCursor? resumeAfter) =>
        resumeAfter is { } r && r > liveStart ? r.ToString()
        : liveStart > FeedCursor.Start ? liveStart.ToString()
        : resumeAfter?.ToString() ?? "";

    /// <summary>
    /// What a resuming client missed, up to where its live subscription starts: the window's records,
    /// or when the window does not reach back that far, the older ones from attendance's StreamNew
    /// (a bounded replay) and then the window's. More than a window's worth, or nothing known yet: a
    /// resync frame (the page reloads what it shows).
    /// </summary>
    private sealed class CatchUp(Join join, UpstreamFeed upstream, string token, int limit)
    {
        public async IAsyncEnumerable<RelayedRecord> ReadAsync(FeedCursor after, FeedCursor upTo,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (join.Missed is null)
            {
                yield return ResyncFrame(upTo);
                yield break;
            }

            if (join.FetchUpTo is { } fetchUpTo)
            {
                var fetched = await FetchAsync(after, fetchUpTo, cancellationToken);
                if (fetched is null)
                {
                    yield return ResyncFrame(upTo);
                    yield break;
                }

                foreach (var record in fetched)
                {
                    yield return record;
                }
            }

            foreach (var record in join.Missed)
            {
                yield return record;
            }
        }

        /// <summary>Up to a window's worth of records from attendance; null when there are more.</summary>
        private async Task<List<RelayedRecord>?> FetchAsync(FeedCursor after, FeedCursor upTo, CancellationToken cancellationToken)
        {
            try
            {
                var records = new List<RelayedRecord>();
                await foreach (var record in upstream.ReplayAsync(token, after, upTo, cancellationToken))
                {
                    records.Add(record);
                    if (records.Count > limit)
                    {
                        return null;
                    }
                }

                return records;
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode != Grpc.Core.StatusCode.Cancelled)
            {
                throw new CatchUpUnavailableException(ex);
            }
        }

        private static RelayedRecord ResyncFrame(FeedCursor at) => new(at, 0, Frames.Resync(Resync), DateTimeOffset.MinValue);
    }
}
