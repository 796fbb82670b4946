using System.Globalization;
using AttendanceSystem.Data.Feed;
using AttendanceSystem.Protos;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter.Sockets;

/// <summary><c>GET /ws?token=JWT[&amp;after=CURSOR]</c>: the live relay. Every refusal happens before the upgrade, as problem details.</summary>
public static class WebSocketApi
{
    private const string Resync = "cursor older than the replay window";

    public static IEndpointRouteBuilder MapWebSocketApi(this IEndpointRouteBuilder app)
    {
        // The socket authenticates itself from ?token= (browsers cannot set headers on a WebSocket).
        app.MapGet("/ws", ConnectAsync).AllowAnonymous()
            .WithSummary("Upgrade to a WebSocket that relays new attendance records live.");
        return app;
    }

    public static async Task<IResult> ConnectAsync(
        HttpContext http, string? token, string? after, JwtTokenValidator validator, RelayHub hub,
        FeedStore records, IOptions<ReporterOptions> options, TimeProvider time)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("This endpoint speaks WebSocket: connect with e.g. `wscat -c \"ws://localhost:8103/ws?token=<JWT>\"`.",
                statusCode: StatusCodes.Status400BadRequest, title: "Bad Request");
        }

        var (user, failure) = await AuthenticateAsync(validator, token ?? BearerToken.FromHeader(http.Request.Headers.Authorization.ToString()));
        if (user is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthorized(failure);
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

        if (resumeAfter is not null && !hub.CanResume)
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem("The reporter is starting and cannot resume from a cursor yet; retry in a moment.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable");
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var client = new ClientConnection(socket, user.EmployeeId, user.SeesEveryone, options.Value.ClientQueue);
        var join = hub.Join(client, resumeAfter);
        var last = join.Last;
        try
        {
            var first = new List<byte[]> { Frames.Hello(user.EmployeeId, user.Role, last?.ToString() ?? resumeAfter?.ToString() ?? "") };
            List<byte[]>? fromTable = [];
            if (join.ReadFromDatabaseUpTo is { } upTo && resumeAfter is { } from)
            {
                try
                {
                    fromTable = await ReadMissedAsync(records, from, upTo, user, options.Value.ReplayWindowCount, http.RequestAborted);
                }
                catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
                {
                    // Already upgraded: say "try again later" the WebSocket way; the client resumes from the same cursor.
                    client.End(ClientConnection.TryAgainLater, "database unavailable: reconnect with your cursor");
                    await client.RunAsync([], last, user.Expires, time);
                    return TypedResults.Empty;
                }
            }

            if (join.Missed is null || fromTable is null)
            {
                first.Add(Frames.Resync(Resync));
            }
            else
            {
                first.AddRange(fromTable);
                first.AddRange(join.Missed.Select(r => r.Frame));
            }

            await client.RunAsync(first, last is { } l && resumeAfter is { } r && r > l ? r : last, user.Expires, time);
        }
        finally
        {
            hub.Leave(client);
        }

        return TypedResults.Empty;
    }

    /// <summary>
    /// Records the window no longer holds (this reporter restarted, or the client was away long),
    /// read from the table; null when there are more than a window's worth: then the client resyncs.
    /// </summary>
    private static async Task<List<byte[]>?> ReadMissedAsync(FeedStore records, FeedCursor after, FeedCursor upTo,
        SocketUser user, int limit, CancellationToken cancellationToken)
    {
        var employeeId = user.SeesEveryone ? 0 : user.EmployeeId;
        var missed = await records.ReadRangeAsync(after, upTo, employeeId, limit + 1, cancellationToken);
        return missed.Count > limit ? null : [.. missed.Select(r => Frames.Record(r.Message))];
    }

    /// <summary>
    /// Who holds a socket, kept for the socket's whole life: only what the relay needs, not the
    /// validated principal (its claims and token come to kilobytes, times every open socket).
    /// </summary>
    private sealed record SocketUser(int EmployeeId, string Role, bool SeesEveryone, DateTimeOffset Expires);

    private static async Task<(SocketUser? User, string Failure)> AuthenticateAsync(JwtTokenValidator validator, string? token)
    {
        var (principal, failure) = await validator.ValidateAsync(token);
        return principal is null
            ? (null, failure)
            : (new SocketUser(principal.GetEmployeeId(), principal.GetRole(), principal.SeesEveryone(), ExpiryOf(principal)), "");
    }

    private static DateTimeOffset ExpiryOf(System.Security.Claims.ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : DateTimeOffset.MaxValue;
}
