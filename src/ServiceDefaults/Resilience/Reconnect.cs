using Polly;
using Polly.Retry;

namespace AttendanceSystem.ServiceDefaults.Resilience;

/// <summary>
/// The one backoff policy for every connection the services keep or wait for: attendance's LISTEN
/// connection, the reporter's StreamNew call, start-up's wait for the database. Exponential from
/// 100 ms to 5 s with jitter, so replicas that lost the same peer do not come back in step.
/// </summary>
public static class Reconnect
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <param name="isTransient">Failures worth another attempt; anything else ends the attempts.</param>
    /// <param name="onRetry">Told each failure and the pause before the next attempt (for one log line).</param>
    /// <param name="until">With a deadline, attempts stop once it has passed (start-up gives up).</param>
    public static ResiliencePipeline Policy(
        Func<Exception, bool> isTransient, Action<Exception, TimeSpan> onRetry, TimeProvider time, DateTimeOffset? until = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Stopping is not a failure: whatever a cancelled call throws, no retry and no warning.
                ShouldHandle = arguments => ValueTask.FromResult(
                    !arguments.Context.CancellationToken.IsCancellationRequested
                    && arguments.Outcome.Exception is { } failure && failure is not OperationCanceledException
                    && isTransient(failure) && (until is null || time.GetUtcNow() < until)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                OnRetry = arguments =>
                {
                    onRetry(arguments.Outcome.Exception!, arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>
    /// Keeps a connection for as long as the service runs. Each round opens it and uses it until it
    /// breaks (<paramref name="connectAndUse"/> returns): opening is retried with this backoff while
    /// it fails, and after a connection that was up breaks, the next round starts at once. Returns
    /// when the service stops, whatever the cancelled call threw.
    /// </summary>
    public static async Task KeepConnectedAsync(
        this ResiliencePipeline policy, Func<CancellationToken, ValueTask> connectAndUse, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await policy.ExecuteAsync(connectAndUse, stoppingToken);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
