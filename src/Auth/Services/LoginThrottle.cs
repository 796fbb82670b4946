using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Auth.Services;

/// <summary>
/// Counts failed logins per username and per client address in a fixed window; past the limit,
/// logins are refused with 429 until the window ends. In memory, per process: with several auth
/// replicas each enforces its own limit.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider time) : IDisposable
{
    // Bounded, so a spray of random usernames cannot grow memory without limit.
    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>How long the caller must wait, or null when a login attempt may proceed.</summary>
    public TimeSpan? RetryAfter(string username, IPAddress? address)
    {
        var limits = options.Value;
        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var (key, max) in Keys(username, address, limits))
        {
            if (_failures.TryGetValue(key, out Window? window) && window!.Count >= max && window.Ends > now)
            {
                var remaining = window.Ends - now;
                wait = wait is null || remaining > wait ? remaining : wait;
            }
        }

        return wait;
    }

    /// <returns>True when this failure locked the username or the address out (worth an audit row).</returns>
    public bool RecordFailure(string username, IPAddress? address)
    {
        var limits = options.Value;
        var lockedOut = false;
        foreach (var (key, max) in Keys(username, address, limits))
        {
            var window = _failures.GetOrCreate(key, entry =>
            {
                var ends = time.GetUtcNow().AddSeconds(limits.FailureWindowSeconds);
                entry.AbsoluteExpiration = ends;
                entry.Size = 1;
                return new Window(ends);
            })!;
            lockedOut |= window.Increment() == max;
        }

        return lockedOut;
    }

    /// <summary>A successful login clears the username's count (not the address's: one good account must not launder a spray).</summary>
    public void RecordSuccess(string username) => _failures.Remove(UsernameKey(username));

    /// <summary>Forgets every count (tests start each case from a clean slate).</summary>
    internal void Clear() => _failures.Clear();

    public void Dispose() => _failures.Dispose();

    private static IEnumerable<(string Key, int Max)> Keys(string username, IPAddress? address, AuthOptions limits)
    {
        yield return (UsernameKey(username), limits.MaxFailuresPerUsername);
        if (address is not null)
        {
            yield return ("a:" + address, limits.MaxFailuresPerAddress);
        }
    }

    private static string UsernameKey(string username) => "u:" + username.ToLowerInvariant();

    private sealed class Window(DateTimeOffset ends)
    {
        private int _count;

        public DateTimeOffset Ends { get; } = ends;

        public int Count => Volatile.Read(ref _count);

        public int Increment() => Interlocked.Increment(ref _count);
    }
}
