using System.Diagnostics;
using Npgsql;

namespace AttendanceSystem.Data.Listening;

/// <summary>
/// Waiting on a LISTENing connection without handing Npgsql the stopping token: cancelling
/// <c>WaitAsync</c> can hang (npgsql/npgsql#5975), and a reporter was seen taking over 20 s to stop.
/// The wait runs in short slices and looks at the token between them, so a stop is noticed within
/// one slice while a notification still ends the wait the moment it arrives.
/// </summary>
public static class NotificationWaits
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits for a notification (its handler has run by then) or until <paramref name="timeout"/> (infinite: no limit).</summary>
    /// <returns>True when a notification arrived, false when the time ran out.</returns>
    public static async Task<bool> WaitForNotificationAsync(this NpgsqlConnection connection, TimeSpan timeout, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            stoppingToken.ThrowIfCancellationRequested();
            var left = timeout == Timeout.InfiniteTimeSpan ? Slice : timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            if (await connection.WaitAsync(left < Slice ? left : Slice))
            {
                return true;
            }
        }
    }
}
