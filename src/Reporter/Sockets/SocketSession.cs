using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.Reporter.Upstream;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace AttendanceSystem.Reporter.Sockets;

/// <summary>
/// One socket's subscription and what it missed. A resuming client is caught up to where its
/// subscription starts from the window's records, or when the window does not reach back that far,
/// from attendance's StreamNew (a bounded replay) and then the window's. More than a window's worth,
/// or nothing known yet: a resync frame (the page reloads what it shows).
/// Made without awaiting, and letting go of the missed records and the token once read: the request
/// that holds it lives as long as the socket, which may be hours.
/// </summary>
internal sealed class SocketSession : IDisposable
{
    private const string Resync = "cursor older than the replay window";

    private readonly Subscription<RelayedRecord> _live;
    private readonly FeedCursor? _resumeAfter;
    private readonly FeedCursor? _fetchUpTo;
    private readonly UpstreamFeed _upstream;
    private readonly int _limit;
    private List<RelayedRecord>? _missed;
    private string? _token;

    private SocketSession(Join join, FeedCursor? resumeAfter, UpstreamFeed upstream, string token, int limit)
    {
        (_live, _missed, _fetchUpTo) = (join.Live, join.Missed, join.FetchUpTo);
        (_resumeAfter, _upstream, _token, _limit) = (resumeAfter, upstream, token, limit);
    }

    public required byte[] Hello { get; init; }

    public required DateTimeOffset Expires { get; init; }

    public static SocketSession Join(HttpContext http, FeedCursor? resumeAfter, WebSocketApi.SocketServices services)
    {
        var user = http.User;
        var scope = AccessScope.Of(http);
        var join = services.Hub.Join(scope, resumeAfter);
        // The catch-up asks attendance with the client's own token, so attendance decides what it
        // may see, exactly as for its own gRPC callers.
        var token = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.GetTokenValue("access_token") ?? "";
        return new SocketSession(join, resumeAfter, services.Upstream, token, services.Options.Value.ReplayWindowCount)
        {
            Hello = Frames.Hello(scope.EmployeeId, user.GetRole(), HelloCursor(join.Live.StartsAfter, resumeAfter)),
            Expires = http.GetTokenExpiry(),
        };
    }

    /// <summary>What the client is owed, in order: the catch-up, then live records.</summary>
    public IAsyncEnumerable<RelayedRecord> Records(CancellationToken end) => _live.ReplayThenLiveAsync(_resumeAfter, CatchUpAsync, end);

    public void Dispose() => _live.Dispose();

    /// <summary>The position the client is at once the hello arrives: the later of its cursor and the live start ("" before any is known).</summary>
    private static string HelloCursor(FeedCursor liveStart, FeedCursor? resumeAfter) =>
        resumeAfter is { } r && r > liveStart ? r.ToString()
        : liveStart > FeedCursor.Start ? liveStart.ToString()
        : resumeAfter?.ToString() ?? "";

    private async IAsyncEnumerable<RelayedRecord> CatchUpAsync(FeedCursor after, FeedCursor upTo,
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
            await foreach (var record in _upstream.ReplayAsync(token, after, upTo, cancellationToken))
            {
                records.Add(record);
                if (records.Count > _limit)
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
