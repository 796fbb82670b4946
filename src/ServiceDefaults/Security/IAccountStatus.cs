namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Whether the person a validly signed token names may still act. A deactivated employee's tokens
/// stop working at once, in every service, not when they expire.
/// </summary>
public interface IAccountStatus
{
    ValueTask<bool> IsActiveAsync(int employeeId, CancellationToken cancellationToken);
}

/// <summary>The token was fine, but its employee has been deactivated.</summary>
public sealed class AccountDeactivatedException() : Exception("This account has been deactivated.");
