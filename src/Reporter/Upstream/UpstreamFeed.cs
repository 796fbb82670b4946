using AttendanceSystem.Protos;
using AttendanceSystem.Reporter.Relay;
using AttendanceSystem.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Reporter.Upstream;

/// <summary>
/// Reads attendance's live feed (StreamNew, everyone's records) with a service token minted for
/// each connection, and hands every record to the hub. On any break it reconnects with backoff
/// and resumes after the last cursor it relayed, so nothing is lost while attendance restarts.
/// </summary>
public sealed partial class UpstreamFeed(
    AttendanceService.AttendanceServiceClient attendance,
    RelayHub hub,
    JwtTokenIssuer tokens,
    IOptions<ReporterOptions> options,
    TimeProvider time,
    ILogger<UpstreamFeed> logger) : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private volatile bool _connected;
    private FeedCursor? _last;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var token = tokens.Issue(0, "reporter", Roles.Service, TimeSpan.FromMinutes(options.Value.ServiceTokenMinutes)).Token;
                using var call = attendance.StreamNew(
                    new StreamRequest { Jwt = token, After = _last?.ToString() ?? "" }, cancellationToken: stoppingToken);
                var headers = await call.ResponseHeadersAsync;
                // Every record after this position will come: after our last one, or on a fresh
                // start after where attendance's live feed begins (its x-feed-start header).
                if (_last is { } resumedAfter)
                {
                    hub.UpstreamResumedAfter(resumedAfter);
                }
                else if (FeedCursor.TryParse(headers.GetValue("x-feed-start"), out var feedStart))
                {
                    hub.UpstreamResumedAfter(feedStart);
                }

                _connected = true;
                backoff = TimeSpan.FromMilliseconds(100);
                LogConnected(_last?.ToString() ?? "now");
                await foreach (var record in call.ResponseStream.ReadAllAsync(stoppingToken))
                {
                    if (!FeedCursor.TryParse(record.Cursor, out var cursor))
                    {
                        continue;
                    }

                    hub.Publish(new RelayedRecord(cursor, record.EmployeeId, Frames.Record(record), time.GetUtcNow()));
                    _last = cursor;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex)
            {
                LogLost(ex.StatusCode.ToString(), ex.Status.Detail, backoff.TotalMilliseconds);
            }

            _connected = false;
            await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        _connected = false;
    }

    /// <summary>Ready while the upstream stream is connected.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_connected
            ? HealthCheckResult.Healthy("receiving attendance's live feed")
            : HealthCheckResult.Unhealthy("not connected to attendance's live feed"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to attendance's live feed (after {Cursor})")]
    private partial void LogConnected(string cursor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attendance's live feed broke ({Status}: {Detail}); reconnecting in {DelayMs} ms")]
    private partial void LogLost(string status, string detail, double delayMs);
}
