using System.Collections.Frozen;
using AttendanceSystem.Data.Listening;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AttendanceSystem.Data.Teams;

/// <summary>
/// Every process's copy of who manages whom: read whole at start, again whenever a change to teams
/// or to someone's team commits (the tables' triggers NOTIFY <see cref="Channel"/>), and every
/// <see cref="SafetyInterval"/> in case a notification was missed while the connection was down.
/// A process that changes teams itself reloads before it answers, so it reads its own writes.
/// Until the first load a manager's scope is just themself: it fails closed.
/// </summary>
public sealed class TeamDirectory(NpgsqlDataSource dataSource, TimeProvider time, ILogger<TeamDirectory> logger)
    : PostgresListener(dataSource, time, logger), ITeamDirectory
{
    public const string ChannelName = "attendance_teams";

    private volatile FrozenDictionary<int, FrozenSet<int>> _members = FrozenDictionary<int, FrozenSet<int>>.Empty;

    public bool Manages(int managerId, int employeeId) =>
        _members.TryGetValue(managerId, out var members) && members.Contains(employeeId);

    public IReadOnlyCollection<int> MembersManagedBy(int managerId) =>
        _members.TryGetValue(managerId, out var members) ? members : [];

    protected override string Channel => ChannelName;

    protected override TimeSpan SafetyInterval => TimeSpan.FromSeconds(30);

    /// <summary>A change to teams or to someone's team: the small mapping is read again, not patched.</summary>
    protected override bool Apply(string payload) => false;

    /// <summary>Reads the whole mapping again (one small query: managed teams' members).</summary>
    public override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT t.manager_id, e.id FROM teams t JOIN employees e ON e.team_id = t.id WHERE t.manager_id IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new Dictionary<int, HashSet<int>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var managerId = reader.GetInt32(0);
            if (!members.TryGetValue(managerId, out var set))
            {
                members[managerId] = set = [];
            }

            set.Add(reader.GetInt32(1));
        }

        _members = members.ToFrozenDictionary(pair => pair.Key, pair => pair.Value.ToFrozenSet());
    }
}
