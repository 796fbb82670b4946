using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Streaming;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace AttendanceSystem.Attendance.GrpcApi;

/// <summary>
/// <c>proto.AttendanceService</c>: history as a stream (List) and the live, resumable feed
/// (StreamNew). The caller is authenticated by the same JwtBearer scheme as REST (the token from
/// the <c>jwt</c> field or <c>authorization</c> metadata, see <see cref="GrpcJwtField"/>).
/// </summary>
[Authorize]
public sealed class AttendanceGrpcService(
    AttendanceQueries queries,
    FeedStore feedStore,
    RecordFeed feed,
    BusinessCalendar calendar,
    ITokenRevocations revocations,
    IHostApplicationLifetime lifetime) : AttendanceService.AttendanceServiceBase
{
    /// <summary>Response header of StreamNew: the position after which the live part starts.</summary>
    public const string FeedStartHeader = "x-feed-start";

    public override async Task List(ListRequest request, IServerStreamWriter<AttendanceRecord> responseStream, ServerCallContext context)
    {
        var employeeId = ResolveEmployee(AccessScope.Of(context.GetHttpContext()), request.EmployeeId, zeroMeansEveryone: false);
        var from = ParseBound(request.From, "from", endOfDay: false) ?? DateTime.MinValue;
        var to = ParseBound(request.To, "to", endOfDay: true) ?? DateTime.MaxValue;
        if (from >= to && request.From.Length > 0 && request.To.Length > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "from must be before to."));
        }

        var cancellationToken = context.CancellationToken;
        await EnsureEmployeeAsync(employeeId, cancellationToken);
        await foreach (var record in feedStore.HistoryAsync(employeeId, from, to, cancellationToken))
        {
            await responseStream.WriteAsync(record.Message, cancellationToken);
        }
    }

    public override async Task StreamNew(StreamRequest request, IServerStreamWriter<AttendanceRecord> responseStream, ServerCallContext context)
    {
        var scope = AccessScope.Of(context.GetHttpContext());
        var employeeId = ResolveEmployee(scope, request.EmployeeId, zeroMeansEveryone: true);
        var after = ParseCursor(request.After, "after");
        var until = ParseCursor(request.Until, "until");
        var cancellationToken = context.CancellationToken;
        if (employeeId != 0)
        {
            await EnsureEmployeeAsync(employeeId, cancellationToken);
        }

        // One employee's stream is filtered in SQL; "everyone I see" asks the scope at each record,
        // so a manager's stream follows team changes while it is open.
        Func<int, bool> sees = employeeId != 0 ? id => id == employeeId : scope.Includes;
        IAsyncEnumerable<FeedRecord> CatchUp(FeedCursor from, FeedCursor upTo, CancellationToken token) =>
            feedStore.RangeAsync(from, upTo, employeeId, token).Where(record => sees(record.EmployeeId));

        if (until is { } end)
        {
            // A bounded replay sends the whole range once it is final (a cursor the caller holds may be
            // ahead of what this process's feed has published), never more than what is final.
            var final = await feedStore.FinalUpToAsync(end, cancellationToken);
            await WriteAllAsync(CatchUp(after ?? FeedCursor.Start, final, cancellationToken), responseStream, cancellationToken);
            return;
        }

        // Subscribe first, then catch up from the table up to where the subscription starts: no gap.
        using var subscription = await feed.SubscribeAsync(
            record => sees(record.EmployeeId), cancellationToken);
        // Headers first: the stream is live, and (x-feed-start) everything after this position will
        // come, so a relay starting fresh knows from where its copy is complete.
        await context.WriteResponseHeadersAsync(new Metadata { { FeedStartHeader, subscription.StartsAfter.ToString() } });

        // A live stream never ends by itself: end it when the service stops, so shutdown does not wait on it,
        // and when the caller's token is revoked (logout, password or role change, deactivation).
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        string? revokedBecause = null;
        using var watch = revocations.Watch(context.GetHttpContext().User, reason =>
        {
            revokedBecause = reason;
            live.Cancel();
        });
        var last = after ?? subscription.StartsAfter;
        try
        {
            await foreach (var record in subscription.ReplayThenLiveAsync(after, CatchUp, live.Token))
            {
                await responseStream.WriteAsync(record.Message, cancellationToken);
                last = record.Cursor;
            }
        }
        catch (SubscriberTooSlowException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message + $" Last cursor sent: {last}."));
        }
        catch (OperationCanceledException) when (revokedBecause is { } reason && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"token revoked ({reason}); sign in again. Last cursor sent: {last}."));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Falls through to UNAVAILABLE below.
        }

        // The feed only ends when the service stops.
        throw new RpcException(new Status(StatusCode.Unavailable, "The service is shutting down; resume with the last cursor."));
    }

    private static async Task WriteAllAsync(IAsyncEnumerable<FeedRecord> records, IServerStreamWriter<AttendanceRecord> responseStream,
        CancellationToken cancellationToken)
    {
        await foreach (var record in records)
        {
            await responseStream.WriteAsync(record.Message, cancellationToken);
        }
    }

    /// <summary>
    /// The employee whose records the call is about. 0 means "me" (for StreamNew, everything the
    /// caller may see, answered as 0); someone else's id must be in the caller's scope.
    /// </summary>
    private static int ResolveEmployee(AccessScope scope, int requested, bool zeroMeansEveryone)
    {
        if (requested < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "employee_id must be 0 (me) or a positive id."));
        }

        if (requested == 0)
        {
            if (scope.SeesOthers && zeroMeansEveryone)
            {
                return 0;
            }

            return scope.EmployeeId != 0
                ? scope.EmployeeId
                : throw new RpcException(new Status(StatusCode.InvalidArgument, "This token belongs to no employee: give an employee_id."));
        }

        return scope.Includes(requested)
            ? requested
            : throw new RpcException(new Status(StatusCode.PermissionDenied, AccessScope.OutOfScope));
    }

    private static FeedCursor? ParseCursor(string text, string name) =>
        text.Length == 0 ? null
        : FeedCursor.TryParse(text, out var cursor) ? cursor
        : throw new RpcException(new Status(StatusCode.InvalidArgument, $"{name} is not a cursor this service gave out (expected \"<txid>.<id>\")."));

    private async Task EnsureEmployeeAsync(int employeeId, CancellationToken cancellationToken)
    {
        if (!await queries.EmployeeExistsAsync(employeeId, cancellationToken))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"There is no employee with id {employeeId}."));
        }
    }

    /// <summary>A bound is a business day (YYYY-MM-DD; "to" includes that whole day) or an ISO 8601 time with a zone.</summary>
    private DateTime? ParseBound(string text, string name, bool endOfDay)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (BusinessCalendar.TryParseDay(text, out var day))
        {
            return calendar.StartOf(endOfDay ? day.AddDays(1) : day);
        }

        return UtcTime.TryParse(text, out var time)
            ? time
            : throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"{name} must be a date (YYYY-MM-DD) or an ISO 8601 time with a zone (e.g. 2026-11-23T08:00:00Z)."));
    }
}
