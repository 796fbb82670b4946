using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AttendanceSystem.Auth.Services;

/// <summary>Creating an account: registration, an admin's POST /employees and the seeded admin all go through here.</summary>
public static class Accounts
{
    /// <summary>
    /// Inserts the account; null when the username is taken. The unique index decides between
    /// simultaneous attempts, and ON CONFLICT makes the loser a clean "taken", not an error.
    /// </summary>
    public static async Task<int?> TryCreateAsync(DatabaseFacade database, string username, string passwordHash, string role,
        CancellationToken cancellationToken, string? fullName = null, string? email = null, int? teamId = null, int? scheduleId = null)
    {
        var created = await database
            .SqlQuery<int>($"""
                INSERT INTO employees (username, password_hash, role, full_name, email, team_id, schedule_id)
                VALUES ({username}, {passwordHash}, {role}, {fullName}, {email}, {teamId}, {scheduleId})
                ON CONFLICT (username) DO NOTHING
                RETURNING id AS "Value"
                """)
            .ToListAsync(cancellationToken);
        return created.Count == 0 ? null : created[0];
    }

    public static string Taken(string username) => $"The username '{username}' is already taken.";
}
