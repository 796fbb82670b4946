using System.Net;
using AttendanceSystem.Data.Audit;
using AttendanceSystem.Data.Entities;
using Npgsql;

namespace AttendanceSystem.Data.Credentials;

/// <summary>How a check of the current password went: correct, wrong, or not tried because the username is locked.</summary>
public readonly record struct PasswordConfirmation(bool Correct, TimeSpan? RetryAfter);

/// <summary>
/// Confirms a signed-in person's current password before they change a secret (the password in
/// auth, the kiosk PIN in attendance). Guessing it through a stolen token counts as failed sign-ins,
/// locked and audited like them.
/// </summary>
public sealed class CurrentPassword(PasswordHasher hasher, LoginThrottle throttle, NpgsqlDataSource dataSource)
{
    /// <summary>What a locked username is told; {0} is the seconds to wait.</summary>
    public const string LockedDetail = "Too many failed sign-ins for this username; try again in {0} seconds.";

    public async Task<PasswordConfirmation> ConfirmAsync(Employee employee, string password, IPAddress? address, CancellationToken cancellationToken)
    {
        if ((await throttle.StateAsync(Secret.Password, employee.Username, cancellationToken)).RetryAfter is { } wait)
        {
            return new PasswordConfirmation(false, wait);
        }

        if (hasher.Verify(password, employee.PasswordHash))
        {
            return new PasswordConfirmation(true, null);
        }

        if ((await throttle.RecordFailureAsync(Secret.Password, employee.Username, LoginThrottle.Source(address), cancellationToken)).LockedNow)
        {
            await AuditLog.WriteAsync(dataSource, new AuditEvent(null, AuditActions.LoginLockedOut, employee.Id,
                new { employee.Username, Address = address?.ToString() }), cancellationToken);
        }

        return new PasswordConfirmation(false, null);
    }
}
