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
    private static readonly TimeSpan MaxLoginRun = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(BenchContext context)
    {
        var cores = Environment.ProcessorCount;
        var clients = cores;
        var result = context.Begin("Logins",
            $"baseline: BCrypt.EnhancedVerify (SHA-384, work factor {context.Scale.BcryptWorkFactor}) on {cores} threads for {context.Scale.LoginRun.TotalSeconds:0} s; then, after {context.Scale.LoginWarmup.TotalSeconds:0} s of warm-up, POST /login by {clients} wrk connections (distinct users, right password) for as long");
        var users = Enumerable.Range(1, clients).Select(BenchSystem.UsernameOf).ToList();
        await Wrk.LoginAsync(context.System.AuthUri, users, BenchSystem.Password, context.Scale.LoginWarmup, context.CancellationToken);

        var hash = BCrypt.Net.BCrypt.EnhancedHashPassword(BenchSystem.Password, context.Scale.BcryptWorkFactor, BCrypt.Net.HashType.SHA384);
        var baseline = VerificationsPerSecond(hash, cores, context.Scale.LoginRun, context.CancellationToken);
        var run = context.Scale.LoginRun;
        var logins = await Wrk.LoginAsync(context.System.AuthUri, users, BenchSystem.Password, run, context.CancellationToken);
        // A machine busy with other work (a smoke run beside the rest of the test suite) may finish no
        // BCrypt-bound login in a short run: measure longer rather than report a rate of nothing.
        while (logins.Requests == 0 && run < MaxLoginRun)
        {
            run *= 2;
            logins = await Wrk.LoginAsync(context.System.AuthUri, users, BenchSystem.Password, run, context.CancellationToken);
        }

        var ratio = logins.SucceededPerSecond / baseline;
        result.Figures["bcrypt_verifications_per_s"] = Math.Round(baseline, 2);
        result.Figures["logins_per_s"] = Math.Round(logins.SucceededPerSecond, 2);
        result.Figures["login_p50_ms"] = logins.LatencyP50Ms;
        result.Figures["errors"] = logins.Errors;
        result.Checks.Add(Check.AtLeast("Login rate / raw BCrypt verify rate", Math.Round(ratio, 3), "ratio", 0.9));
        result.Checks.Add(Check.None("Failed logins", logins.Errors, "requests"));
        context.Report.Throughput.Add(new ThroughputBar("Logins", baseline, "BCrypt verify", logins.SucceededPerSecond, "/s", Target: 0.9));
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
