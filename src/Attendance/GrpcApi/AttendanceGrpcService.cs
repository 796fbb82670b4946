using AttendanceSystem.Attendance.Feed;
using AttendanceSystem.Data.Feed;
using AttendanceSystem.Attendance.Punches;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults.Http;
using Grpc.Core;

namespace AttendanceSystem.Attendance.GrpcApi;

/// <summary><c>proto.AttendanceService</c>: history as a stream (List) and the live, resumable feed (StreamNew).</summary>
public sealed class AttendanceGrpcService(
    GrpcCaller caller,
    PunchStore punches,
    FeedStore feedStore,
    RecordFeed feed,
    BusinessCalendar calendar,
    IHostApplicationLifetime lifetime) : AttendanceService.AttendanceServiceBase
{
    private const int CatchUpPage = 1000;

    /// <summary>Response header of StreamNew: the position after which the live part starts.</summary>
    public const string FeedStartHeader = "x-feed-start";

    public override async Task List(ListRequest request, IServerStreamWriter<AttendanceRecord> responseStream, ServerCallContext context)
    {
        var user = await caller.AuthenticateAsync(request.Jwt, context);
        var employeeId = GrpcCaller.ResolveEmployee(user, request.EmployeeId, zeroMeansEveryone: false);
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
        var user = await caller.AuthenticateAsync(request.Jwt, context);
        var employeeId = GrpcCaller.ResolveEmployee(user, request.EmployeeId, zeroMeansEveryone: true);
        FeedCursor? after = null;
        if (request.After.Length > 0)
        {
            after = FeedCursor.TryParse(request.After, out var parsed)
                ? parsed
                : throw new RpcException(new Status(StatusCode.InvalidArgument, "after is not a cursor this service gave out (expected \"<txid>.<id>\")."));
        }

        var cancellationToken = context.CancellationToken;
        if (employeeId != 0)
        {
            await EnsureEmployeeAsync(employeeId, cancellationToken);
        }

        // Subscribe first, then catch up from the table up to where the subscription starts: no gap.
        using var subscription = await feed.SubscribeAsync(
            record => employeeId == 0 || record.EmployeeId == employeeId, cancellationToken);
        // Headers first: the stream is live, and (x-feed-start) everything after this position will
        // come, so a relay starting fresh knows from where its copy is complete.
        await context.WriteResponseHeadersAsync(new Metadata { { FeedStartHeader, subscription.StartsAfter.ToString() } });
        var last = after ?? subscription.StartsAfter;
        while (last < subscription.StartsAfter)
        {
            var page = await feedStore.ReadRangeAsync(last, subscription.StartsAfter, employeeId, CatchUpPage, cancellationToken);
            foreach (var record in page)
            {
                await responseStream.WriteAsync(record.Message, cancellationToken);
            }

            if (page.Count < CatchUpPage)
            {
                break;
            }

            last = page[^1].Cursor;
        }


        last = after is { } a && a > subscription.StartsAfter ? a : subscription.StartsAfter;
        // A live stream never ends by itself: end it when the service stops, so shutdown does not wait on it.
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var record in subscription.Records.ReadAllAsync(live.Token))
            {
                // Never twice: a resumed cursor may already be past what the feed now publishes.
                if (record.Cursor > last)
                {
                    await responseStream.WriteAsync(record.Message, cancellationToken);
                    last = record.Cursor;
                }
            }
        }
        catch (SubscriberTooSlowException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message + $" Last cursor sent: {last}."));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Falls through to UNAVAILABLE below.
        }

        // The feed only ends when the service stops.
        throw new RpcException(new Status(StatusCode.Unavailable, "The service is shutting down; resume with the last cursor."));
    }

    private async Task EnsureEmployeeAsync(int employeeId, CancellationToken cancellationToken)
    {
        if (!await punches.EmployeeExistsAsync(employeeId, cancellationToken))
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
