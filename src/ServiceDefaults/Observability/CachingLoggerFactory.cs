using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AttendanceSystem.ServiceDefaults.Observability;

/// <summary>
/// Serilog's logger factory builds a new logger, with caches of its own, on every CreateLogger call;
/// the framework asks once per request (each authentication handler does), so every request paid for
/// one, and every open WebSocket kept one. One logger per category, as the framework's own factory keeps.
/// </summary>
internal sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
