using System.Security.Claims;
using AttendanceSystem.Auth.Contracts;
using AttendanceSystem.Data.Teams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Auth.Apis;

/// <summary>Teams and their managers: anyone signed in reads them (the page shows names), admins change them.</summary>
public static class TeamsApi
{
    public static IEndpointRouteBuilder MapTeamsApi(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/teams").RequireAuthorization();
        teams.MapGet("/", ListAsync).WithSummary("Every team with its manager and number of members.");
        teams.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Create a team, perhaps with its manager (a manager or an admin) — admin.");
        teams.MapPatch("/{id}", UpdateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Rename a team or change its manager (\"manager_id\": null: none) — admin.");
        teams.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Delete a team that has no members left — admin.");
        return app;
    }

    public static async Task<Ok<List<TeamResponse>>> ListAsync(AttendanceDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Teams.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new TeamResponse(t.Id, t.Name, t.ManagerId, db.Employees.Count(e => e.TeamId == t.Id)))
            .ToListAsync(cancellationToken));

    public static async Task<Results<Created<TeamResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateTeamRequest request, ClaimsPrincipal user, AttendanceDbContext db, TeamDirectory directory, CancellationToken cancellationToken)
    {
        if (!TryName(request.Name, out var name, out var problem))
        {
            return problem!;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await RefuseManagerAsync(db, request.ManagerId, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (await NameTakenAsync(db, name, exceptId: 0, cancellationToken) is { } taken)
        {
            return taken;
        }

        var team = new Team { Name = name, ManagerId = request.ManagerId };
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.TeamCreated, request.ManagerId,
            new { TeamId = team.Id, team.Name, team.ManagerId }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await directory.ReloadAsync(cancellationToken);
        return TypedResults.Created($"/teams/{team.Id}", new TeamResponse(team.Id, team.Name, team.ManagerId, 0));
    }

    public static async Task<Results<Ok<TeamResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        int id, UpdateTeamRequest request, ClaimsPrincipal user, AttendanceDbContext db, TeamDirectory directory, CancellationToken cancellationToken)
    {
        var name = "";
        if (request.Name is not null && !TryName(request.Name, out name, out var problem))
        {
            return problem!;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var team = await db.Teams.FromSql($"SELECT * FROM teams WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (team is null)
        {
            return Problems.NotFound($"There is no team with id {id}.");
        }

        if (request.ManagerId.IsSet && await RefuseManagerAsync(db, request.ManagerId.Value, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (request.Name is not null && await NameTakenAsync(db, name, exceptId: id, cancellationToken) is { } taken)
        {
            return taken;
        }

        var before = new { team.Name, team.ManagerId };
        team.Name = request.Name is null ? team.Name : name;
        team.ManagerId = request.ManagerId.IsSet ? request.ManagerId.Value : team.ManagerId;
        if (before.Name != team.Name || before.ManagerId != team.ManagerId)
        {
            await db.SaveChangesAsync(cancellationToken);
            await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.TeamChanged, team.ManagerId,
                new { TeamId = id, From = before, To = new { team.Name, team.ManagerId } }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await directory.ReloadAsync(cancellationToken);
        }

        return TypedResults.Ok(new TeamResponse(team.Id, team.Name, team.ManagerId,
            await db.Employees.CountAsync(e => e.TeamId == id, cancellationToken)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        int id, ClaimsPrincipal user, AttendanceDbContext db, TeamDirectory directory, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var team = await db.Teams.FromSql($"SELECT * FROM teams WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (team is null)
        {
            return Problems.NotFound($"There is no team with id {id}.");
        }

        // Locks the members' rows too, so nobody joins the team between the count and the delete.
        var members = await db.Employees.FromSql($"SELECT * FROM employees WHERE team_id = {id} FOR UPDATE").CountAsync(cancellationToken);
        if (members > 0)
        {
            return Problems.Conflict($"Team '{team.Name}' still has {members} member{(members == 1 ? "" : "s")}; move them to another team first.");
        }

        if (await db.Kiosks.Where(k => k.TeamId == id && k.RevokedAt == null).Select(k => k.Name).FirstOrDefaultAsync(cancellationToken) is { } kiosk)
        {
            return Problems.Conflict($"Team '{team.Name}' has the kiosk '{kiosk}'; revoke it first.");
        }

        // Revoked kiosks keep their history, not their team.
        await db.Kiosks.Where(k => k.TeamId == id).ExecuteUpdateAsync(set => set.SetProperty(k => k.TeamId, (int?)null), cancellationToken);

        db.Teams.Remove(team);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.TeamDeleted, team.ManagerId,
            new { TeamId = id, team.Name }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await directory.ReloadAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static bool TryName(string? given, out string name, out ValidationProblem? problem) =>
        RequiredName.TryNormalize(given, ScheduleRules.MaxName, out name, out problem);

    private static async Task<ProblemHttpResult?> NameTakenAsync(AttendanceDbContext db, string name, int exceptId, CancellationToken cancellationToken) =>
        await db.Teams.AnyAsync(t => t.Name == name && t.Id != exceptId, cancellationToken)
            ? Problems.Conflict($"There is already a team named '{name}'.")
            : null;

    /// <summary>
    /// A team's manager must be an active manager or admin. The row is share-locked until commit,
    /// so a role change cannot slip in between this check and the team's update.
    /// </summary>
    private static async Task<ProblemHttpResult?> RefuseManagerAsync(AttendanceDbContext db, int? managerId, CancellationToken cancellationToken)
    {
        if (managerId is not { } id)
        {
            return null;
        }

        var manager = await db.Employees.FromSql($"SELECT * FROM employees WHERE id = {id} FOR SHARE")
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return manager switch
        {
            null => Problems.NotFound($"There is no employee with id {id} to manage the team."),
            { Active: false } => Problems.Conflict($"{manager.Username} is deactivated and cannot manage a team."),
            _ when !Roles.CanManage(manager.Role) => Problems.Conflict(
                $"{manager.Username} is an {manager.Role}; make them a manager first (PUT /employees/{id}/role)."),
            _ => null,
        };
    }
}
