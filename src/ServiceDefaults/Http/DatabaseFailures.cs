using System.Data.Common;

namespace AttendanceSystem.ServiceDefaults.Http;

public static class DatabaseFailures
{
    /// <summary>True when an exception (or one inside it) means the database cannot be reached right now.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
