using System.Collections.Frozen;
using AttendanceSystem.ServiceDefaults.Resilience;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AttendanceSystem.Data.Teams;

/// <summary>
/// Every process's copy of who manages whom: read whole at start, again whenever a change to teams
/// or to someone's team commits (the tables' triggers NOTIFY <see cref="Channel"/>), and every
/// <see cref="SafetyReload"/> in case a notification was missed while the connection was down.
/// A process that changes teams itself reloads before it answers, so it reads its own writes.
/// Until the first load a manager's scope is just themself: it fails closed.
/// </summary>
public sealed partial class TeamDirectory(NpgsqlDataSource dataSource, TimeProvider time, ILogger<TeamDirectory> logger)
    : BackgroundService, ITeamDirectory
{
    public const string Channel = "attendance_teams";

    private static readonly TimeSpan SafetyReload = TimeSpan.FromSeconds(30);

    private volatile FrozenDictionary<int, FrozenSet<int>> _members = FrozenDictionary<int, FrozenSet<int>>.Empty;

    public bool Manages(int managerId, int employeeId) =>
        _members.TryGetValue(managerId, out var members) && members.Contains(employeeId);

    public IReadOnlyCollection<int> MembersManagedBy(int managerId) =>
        _members.TryGetValue(managerId, out var members) ? members : [];

    /// <summary>Reads the whole mapping again (one small query: managed teams' members).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
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

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            // The listener below keeps trying; meanwhile managers see only themselves.
            LogReconnecting(ex.Message, 0);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Reconnect.Policy(
                failure => failure is NpgsqlException or TimeoutException or InvalidOperationException,
                (failure, delay) => LogReconnecting(failure.Message, delay.TotalMilliseconds),
                time)
            .KeepConnectedAsync(ListenAsync, stoppingToken);

    private async ValueTask ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening first, then reading: a change committed in between is either read or announced.
        await ReloadAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A notification or the safety interval, whichever comes first; a burst of changes
            // costs a few reloads of a small table, each reading the latest state.
            await connection.WaitAsync(SafetyReload, stoppingToken);
            await ReloadAsync(stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Team directory lost its database connection ({Reason}); reconnecting in {DelayMs:0} ms")]
    private partial void LogReconnecting(string reason, double delayMs);
}
