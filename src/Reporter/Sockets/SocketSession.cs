using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Reporter.Upstream;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace AttendanceSystem.Reporter.Sockets;

/// <summary>
/// One socket's subscription and catch-up, made without awaiting so that the request's frame, which
/// lives as long as the socket (hours), holds only what the relay needs, not what the client missed.
/// </summary>
internal sealed class SocketSession(Subscription<RelayedRecord> live, CatchUp catchUp, FeedCursor? resumeAfter, byte[] hello, DateTimeOffset expires)
    : IDisposable
{
    public byte[] Hello { get; } = hello;

    public DateTimeOffset Expires { get; } = expires;

    public static SocketSession Join(HttpContext http, FeedCursor? resumeAfter, WebSocketApi.SocketServices services)
    {
        var user = http.User;
        // The catch-up asks attendance with the client's own token, so attendance decides what
        // it may see, exactly as for its own gRPC callers.
        var token = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.GetTokenValue("access_token") ?? "";
        var (scope, expires) = (user.GetScope(), http.GetTokenExpiry());
        var join = services.Hub.Join(scope, resumeAfter);
        var hello = Frames.Hello(scope.EmployeeId, user.GetRole(), HelloCursor(join.Live.StartsAfter, resumeAfter));
        return new SocketSession(join.Live, new CatchUp(join, services.Upstream, token, services.Options.Value.ReplayWindowCount),
            resumeAfter, hello, expires);
    }

    public IAsyncEnumerable<RelayedRecord> Records(CancellationToken end) => live.ReplayThenLiveAsync(resumeAfter, catchUp.ReadAsync, end);

    public void Dispose() => live.Dispose();

    /// <summary>The position the client is at once the hello arrives: the later of its cursor and the live start ("" before any is known).</summary>
    private static string HelloCursor(FeedCursor liveStart, FeedCursor? resumeAfter) =>
        resumeAfter is { } r && r > liveStart ? r.ToString()
        : liveStart > FeedCursor.Start ? liveStart.ToString()
        : resumeAfter?.ToString() ?? "";
}

/// <summary>
/// What a resuming client missed, up to where its live subscription starts: the window's records,
/// or when the window does not reach back that far, the older ones from attendance's StreamNew
/// (a bounded replay) and then the window's. More than a window's worth, or nothing known yet: a
/// resync frame (the page reloads what it shows).
/// </summary>
internal sealed class CatchUp(Join join, UpstreamFeed upstream, string token, int limit)
{
    private const string Resync = "cursor older than the replay window";

    // Held only until the catch-up is read: the socket lives on for hours, these need not.
    private readonly FeedCursor? _fetchUpTo = join.FetchUpTo;
    private List<RelayedRecord>? _missed = join.Missed;
    private string? _token = token;

    public async IAsyncEnumerable<RelayedRecord> ReadAsync(FeedCursor after, FeedCursor upTo,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (missed, token) = (_missed, _token ?? "");
        (_missed, _token) = (null, null);
        if (missed is null)
        {
            yield return ResyncFrame(upTo);
            yield break;
        }

        if (_fetchUpTo is { } fetchUpTo)
        {
            var fetched = await FetchAsync(token, after, fetchUpTo, cancellationToken);
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

        foreach (var record in missed)
        {
            yield return record;
        }
    }

    /// <summary>Up to a window's worth of records from attendance; null when there are more.</summary>
    private async Task<List<RelayedRecord>?> FetchAsync(string token, FeedCursor after, FeedCursor upTo, CancellationToken cancellationToken)
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
