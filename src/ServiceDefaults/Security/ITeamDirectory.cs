namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Who manages whom, as the teams table says now: asked on every scope check (each record a stream
/// or socket relays), so it answers from memory and learns of team changes as they commit.
/// </summary>
public interface ITeamDirectory
{
    /// <summary>True when <paramref name="managerId"/> manages a team <paramref name="employeeId"/> belongs to.</summary>
    bool Manages(int managerId, int employeeId);

    /// <summary>The members of the teams <paramref name="managerId"/> manages (empty for anyone else).</summary>
    IReadOnlyCollection<int> MembersManagedBy(int managerId);
}
