using System.Runtime.CompilerServices;
using AttendanceSystem.Protos;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.ServiceDefaults.Resilience;
using AttendanceSystem.ServiceDefaults.Security;
using AttendanceSystem.Streaming;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter.Upstream;

/// <summary>
/// The reporter's only source of records: attendance's StreamNew. In the background it reads the
/// live feed (everyone's records) with a service token minted for each connection and hands every
/// record to the hub; on any break it reconnects with the shared backoff and resumes after the last
/// cursor it relayed, so nothing is lost while attendance restarts. On request it also replays a
/// past range for a client that resumes from further back than the window holds.
/// </summary>
public sealed partial class UpstreamFeed(
    AttendanceService.AttendanceServiceClient attendance,
    RelayHub hub,
    JwtTokenIssuer tokens,
    IOptions<ReporterOptions> options,
    TimeProvider time,
    ILogger<UpstreamFeed> logger) : BackgroundService, IHealthCheck
{
    private volatile bool _connected;
    private FeedCursor? _last;

    /// <summary>Records in (after, upTo] that <paramref name="token"/>'s holder may see, from attendance.</summary>
    public async IAsyncEnumerable<RelayedRecord> ReplayAsync(string token, FeedCursor after, FeedCursor upTo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = attendance.StreamNew(
            new StreamRequest { Jwt = token, After = after.ToString(), Until = upTo.ToString() }, cancellationToken: cancellationToken);
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (RelayedRecord.From(message, time.GetUtcNow()) is { } record)
            {
                yield return record;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reconnect = Reconnect.Policy(
            failure => failure is RpcException,
            (failure, delay) => LogLost(((RpcException)failure).StatusCode.ToString(), ((RpcException)failure).Status.Detail, delay.TotalMilliseconds),
            time);
        await reconnect.KeepConnectedAsync(RelayAsync, stoppingToken);
        _connected = false;
    }

    /// <summary>One StreamNew call: failing to open it is retried with backoff; once open, a break is reported and the call opened again.</summary>
    private async ValueTask RelayAsync(CancellationToken stoppingToken)
    {
        var token = tokens.Issue(0, "reporter", Roles.Service, TimeSpan.FromMinutes(options.Value.ServiceTokenMinutes)).Token;
        using var call = attendance.StreamNew(
            new StreamRequest { Jwt = token, After = _last?.ToString() ?? "" }, cancellationToken: stoppingToken);
        var headers = await call.ResponseHeadersAsync;
        // Every record after this position will come: after our last one, or on a fresh start
        // after where attendance's live feed begins (its x-feed-start header).
        if (_last is { } resumedAfter)
        {
            hub.UpstreamResumedAfter(resumedAfter);
        }
        else if (FeedCursor.TryParse(headers.GetValue("x-feed-start"), out var feedStart))
        {
            hub.UpstreamResumedAfter(feedStart);
        }

        _connected = true;
        LogConnected(_last?.ToString() ?? "now");
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(stoppingToken))
            {
                if (RelayedRecord.From(message, time.GetUtcNow()) is { } record)
                {
                    hub.Publish(record);
                    _last = record.Cursor;
                }
            }
        }
        catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogLost(ex.StatusCode.ToString(), ex.Status.Detail, 0);
        }
        finally
        {
            _connected = false;
        }
    }

    /// <summary>Ready while the upstream stream is connected.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_connected
            ? HealthCheckResult.Healthy("receiving attendance's live feed")
            : HealthCheckResult.Unhealthy("not connected to attendance's live feed"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to attendance's live feed (after {Cursor})")]
    private partial void LogConnected(string cursor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attendance's live feed broke ({Status}: {Detail}); reconnecting in {DelayMs:0} ms")]
    private partial void LogLost(string status, string detail, double delayMs);
}
