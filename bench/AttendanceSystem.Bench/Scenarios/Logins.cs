using System.Diagnostics;
using AttendanceSystem.Bench.Harness;
using AttendanceSystem.Bench.Load;
using AttendanceSystem.Bench.Reporting;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>
/// POST /login against the raw cost of what it must do: one BCrypt verification at the same work
/// factor, run flat out on every core by the harness itself while the services sit idle.
/// </summary>
public static class Logins
{
    public static async Task RunAsync(BenchContext context)
    {
        var cores = Environment.ProcessorCount;
        var clients = cores;
        var result = context.Begin("Logins",
            $"baseline: BCrypt.EnhancedVerify (SHA-384, work factor {context.Scale.BcryptWorkFactor}) on {cores} threads for {context.Scale.LoginRun.TotalSeconds:0} s; then, after {context.Scale.LoginWarmup.TotalSeconds:0} s of warm-up, POST /login by {clients} clients (distinct users, right password, one login after another) for as long, every login started counted to its end");
        var users = Enumerable.Range(1, clients).Select(BenchSystem.UsernameOf).ToList();
        await LoginLoadAsync(context.System.AuthUri, users, context.Scale.LoginWarmup, context.CancellationToken);

        var hash = BCrypt.Net.BCrypt.EnhancedHashPassword(BenchSystem.Password, context.Scale.BcryptWorkFactor, BCrypt.Net.HashType.SHA384);
        var baseline = VerificationsPerSecond(hash, cores, context.Scale.LoginRun, context.CancellationToken);
        var logins = await LoginLoadAsync(context.System.AuthUri, users, context.Scale.LoginRun, context.CancellationToken);

        var ratio = logins.PerSecond / baseline;
        result.Figures["bcrypt_verifications_per_s"] = Math.Round(baseline, 2);
        result.Figures["logins_per_s"] = Math.Round(logins.PerSecond, 2);
        result.Figures["login_p50_ms"] = Math.Round(logins.P50Ms, 1);
        result.Figures["errors"] = logins.Failed;
        result.Checks.Add(Check.AtLeast("Login rate / raw BCrypt verify rate", Math.Round(ratio, 3), "ratio", 0.9));
        result.Checks.Add(Check.None("Failed logins", logins.Failed, "requests"));
        context.Report.Throughput.Add(new ThroughputBar("Logins", baseline, "BCrypt verify", logins.PerSecond, "/s", Target: 0.9));
    }

    private sealed record LoginLoad(long Succeeded, long Failed, TimeSpan Elapsed, double P50Ms)
    {
        public double PerSecond => Succeeded / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Each client logs in again and again until the run ends, and the login it is in then is waited
    /// for and counted, the elapsed time with it. (wrk drops requests still running at its deadline: on
    /// a busy machine, where one BCrypt-bound login outlasts a short run, it measured 0 logins/s.)
    /// </summary>
    private static async Task<LoginLoad> LoginLoadAsync(Uri auth, IReadOnlyList<string> users, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = auth, Timeout = TimeSpan.FromMinutes(2) };
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        long succeeded = 0, failed = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(users.Select(async username =>
        {
            do
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/login", new StringContent(
                    $$"""{"username":"{{username}}","password":"{{BenchSystem.Password}}"}""", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref succeeded : ref failed);
            }
            while (Stopwatch.GetElapsedTime(started) < duration);
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var sorted = latencies.Order().ToList();
        return new LoginLoad(succeeded, failed, elapsed, sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2]);
    }

    private static double VerificationsPerSecond(string hash, int threads, TimeSpan duration, CancellationToken cancellationToken)
    {
        long verified = 0;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, _ =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (!BCrypt.Net.BCrypt.EnhancedVerify(BenchSystem.Password, hash, BCrypt.Net.HashType.SHA384))
                {
                    throw new InvalidOperationException("BCrypt did not verify its own hash.");
                }

                Interlocked.Increment(ref verified);
            }
        });
        return verified / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
