using System.Security.Claims;
using AttendanceSystem.Auth.Services;
using AttendanceSystem.Auth.Contracts;
using AttendanceSystem.Data.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AttendanceSystem.Auth.Apis;

/// <summary>The employee directory (any signed-in user) and its administration (admins).</summary>
public static class EmployeesApi
{
    public static IEndpointRouteBuilder MapEmployeesApi(this IEndpointRouteBuilder app)
    {
        var employees = app.MapGroup("/employees").RequireAuthorization();
        employees.MapGet("/", ListAsync)
            .WithSummary("List people by id, a page at a time (limit, after, q, team_id, active=true|false|all); full details only in scope.");
        employees.MapGet("/{id}", GetAsync)
            .WithSummary("One person: full details in scope (yourself, your team as its manager, anyone for an admin), else id, username and full name.");
        employees.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Create a person (admin); without a password one is generated and shown once.");
        employees.MapPatch("/{id}", UpdateAsync)
            .WithSummary("Change full_name and email (your own, or anyone's as an admin; \"\" clears), team_id and schedule_id (admin; null clears).");
        employees.MapPut("/{id}/role", SetRoleAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Make someone an employee, a manager or an admin (admin only).");
        employees.MapPost("/{id}/deactivate", DeactivateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Stop an employee from logging in (admin only).");
        employees.MapPost("/{id}/reactivate", ReactivateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Let a deactivated employee log in again (admin only).");
        return app;
    }

    public static async Task<Results<Ok<List<EmployeeListItem>>, ValidationProblem>> ListAsync(
        int? limit, long? after, string? q, string? active, [FromQuery(Name = "team_id")] int? teamId, AccessScope scope, HttpContext http,
        AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (!Page.TryCreate(limit, after, out var page, out var problem))
        {
            return problem!;
        }

        if (active is not (null or "true" or "false" or "all"))
        {
            return Problems.Invalid("active", "active must be true, false or all.");
        }

        if (q is { Length: > 100 })
        {
            return Problems.Invalid("q", "q may have at most 100 characters.");
        }

        if (teamId is <= 0)
        {
            return Problems.Invalid("team_id", "team_id must be a positive team id.");
        }

        var people = db.Employees.AsNoTracking().Where(e => e.Id > page.After);
        if (teamId is { } team)
        {
            people = people.Where(e => e.TeamId == team);
        }

        if (active is "true" or "false")
        {
            var wanted = active == "true";
            people = people.Where(e => e.Active == wanted);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            // A search term, not a pattern: % and _ match themselves.
            var pattern = "%" + q.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            people = people.Where(e => EF.Functions.ILike(e.Username, pattern, "\\") || EF.Functions.ILike(e.FullName ?? "", pattern, "\\"));
        }

        var found = await people.OrderBy(e => e.Id).Take(page.Limit)
            .Select(e => new { Person = e, HasPhoto = db.EmployeePhotos.Any(p => p.EmployeeId == e.Id) })
            .ToListAsync(cancellationToken);
        var items = found.ConvertAll(x => EmployeeListItem.For(x.Person, x.HasPhoto, scope.Includes(x.Person.Id)));

        page.LinkNext(http.Response, items.Count, "/employees", items.LastOrDefault()?.Id ?? 0, ("q", q), ("active", active), ("team_id", teamId));
        return TypedResults.Ok(items);
    }

    public static async Task<Results<Ok<EmployeeListItem>, ValidationProblem, ProblemHttpResult>> GetAsync(
        int id, AccessScope scope, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive employee id.");
        }

        var e = await db.Employees.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return e is null
            ? Problems.NotFound($"There is no employee with id {id}.")
            : TypedResults.Ok(EmployeeListItem.For(e, await db.EmployeePhotos.AnyAsync(p => p.EmployeeId == id, cancellationToken), scope.Includes(id)));
    }

    public static async Task<Results<Created<CreatedEmployee>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateEmployeeRequest request, ClaimsPrincipal user, AttendanceDbContext db, PasswordHasher hasher, TeamDirectory directory,
        CancellationToken cancellationToken)
    {
        var role = request.Role ?? Roles.Employee;
        if (!Roles.IsPersonRole(role))
        {
            return Problems.Invalid("role", Roles.Message);
        }

        if (!ProfileFields.TryNormalize(request.FullName, request.Email, out var fullName, out var email, out var problem))
        {
            return problem!;
        }

        if (await RefuseAssignmentAsync(db, request.TeamId, request.ScheduleId, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var initialPassword = request.Password is null ? InitialPasswords.Generate() : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Accounts.TryCreateAsync(db.Database, request.Username, hasher.Hash(request.Password ?? initialPassword!), role,
                cancellationToken, fullName, email, request.TeamId, request.ScheduleId) is not { } id)
        {
            return Problems.Conflict(Accounts.Taken(request.Username));
        }

        var saved = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == id, cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.EmployeeCreated, saved.Id,
            new { saved.Username, saved.Role, saved.FullName, saved.Email, saved.TeamId, saved.ScheduleId, PasswordGenerated = initialPassword is not null }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (saved.TeamId is not null)
        {
            await directory.ReloadAsync(cancellationToken);
        }

        return TypedResults.Created($"/employees/{saved.Id}", new CreatedEmployee(EmployeeDetails.From(saved, hasPhoto: false), initialPassword));
    }

    public static async Task<Results<Ok<EmployeeDetails>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        int id, UpdateEmployeeRequest request, ClaimsPrincipal user, AttendanceDbContext db, TeamDirectory directory,
        CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive employee id.");
        }

        var isAdmin = user.GetRole() == Roles.Admin;
        if (id != user.GetEmployeeId() && !isAdmin)
        {
            return Problems.Forbidden("You may change your own profile only; an admin changes anyone's.");
        }

        if ((request.TeamId.IsSet || request.ScheduleId.IsSet) && !isAdmin)
        {
            return Problems.Forbidden("Only an admin changes someone's team or schedule.");
        }

        if (!ProfileFields.TryNormalize(request.FullName, request.Email, out var fullName, out var email, out var problem))
        {
            return problem!;
        }

        if (await RefuseAssignmentAsync(db, request.TeamId.Value, request.ScheduleId.Value, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var employee = await db.Employees.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (employee is null)
        {
            return Problems.NotFound($"There is no employee with id {id}.");
        }

        var actor = user.GetEmployeeId();
        var changes = new List<AuditEvent>();
        var profile = new { employee.FullName, employee.Email };
        employee.FullName = request.FullName is null ? employee.FullName : fullName;
        employee.Email = request.Email is null ? employee.Email : email;
        if (profile.FullName != employee.FullName || profile.Email != employee.Email)
        {
            changes.Add(new AuditEvent(actor, AuditActions.ProfileChanged, id, new { From = profile, To = new { employee.FullName, employee.Email } }));
        }

        if (request.TeamId.IsSet && request.TeamId.Value != employee.TeamId)
        {
            changes.Add(new AuditEvent(actor, AuditActions.TeamAssigned, id, new { From = employee.TeamId, To = request.TeamId.Value }));
            employee.TeamId = request.TeamId.Value;
        }

        if (request.ScheduleId.IsSet && request.ScheduleId.Value != employee.ScheduleId)
        {
            changes.Add(new AuditEvent(actor, AuditActions.ScheduleAssigned, id, new { From = employee.ScheduleId, To = request.ScheduleId.Value }));
            employee.ScheduleId = request.ScheduleId.Value;
        }

        if (changes.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var change in changes)
            {
                await db.Database.WriteAsync(change, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            if (changes.Exists(change => change.Action == AuditActions.TeamAssigned))
            {
                await directory.ReloadAsync(cancellationToken);
            }
        }

        return TypedResults.Ok(EmployeeDetails.From(employee, await db.EmployeePhotos.AnyAsync(p => p.EmployeeId == employee.Id, cancellationToken)));
    }

    public static async Task<Results<Ok<EmployeeDetails>, ValidationProblem, ProblemHttpResult>> SetRoleAsync(
        int id, SetRoleRequest request, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive employee id.");
        }

        if (!Roles.IsPersonRole(request.Role))
        {
            return Problems.Invalid("role", Roles.Message);
        }

        return await ChangeAsync(db, id, employee =>
        {
            var before = employee.Role;
            employee.Role = request.Role;
            return new AuditEvent(user.GetEmployeeId(), AuditActions.RoleChanged, id, new { From = before, To = request.Role });
        }, cancellationToken);
    }

    public static async Task<Results<Ok<EmployeeDetails>, ValidationProblem, ProblemHttpResult>> DeactivateAsync(
        int id, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive employee id.");
        }

        return await ChangeAsync(db, id, employee =>
        {
            employee.Active = false;
            return new AuditEvent(user.GetEmployeeId(), AuditActions.EmployeeDeactivated, id, new { employee.Username });
        }, cancellationToken);
    }

    public static async Task<Results<Ok<EmployeeDetails>, ValidationProblem, ProblemHttpResult>> ReactivateAsync(
        int id, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive employee id.");
        }

        return await ChangeAsync(db, id, employee =>
        {
            employee.Active = true;
            return new AuditEvent(user.GetEmployeeId(), AuditActions.EmployeeReactivated, id, new { employee.Username });
        }, cancellationToken);
    }

    /// <summary>
    /// Applies a change to one employee, refusing one that would leave no active admin, and audits it
    /// in the same transaction. The admin rows are locked first, so two admins demoting each other at
    /// once cannot both succeed.
    /// </summary>
    private static async Task<Results<Ok<EmployeeDetails>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        AttendanceDbContext db, int id, Func<Employee, AuditEvent> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var admins = await db.Employees
            .FromSql($"SELECT * FROM employees WHERE role = {Roles.Admin} AND active ORDER BY id FOR UPDATE")
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);

        var employee = await db.Employees.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (employee is null)
        {
            return Problems.NotFound($"There is no employee with id {id}.");
        }

        var audit = change(employee);
        var stillAdmin = employee.Role == Roles.Admin && employee.Active;
        if (!stillAdmin && admins.Count == 1 && admins[0] == id)
        {
            return Problems.Conflict("This is the last active admin; make another admin first.");
        }

        // Locked: a team given this manager meanwhile waits for this change, then sees the new role.
        var managed = await db.Teams.FromSql($"SELECT * FROM teams WHERE manager_id = {id} ORDER BY name FOR UPDATE")
            .Select(t => t.Name).ToListAsync(cancellationToken);
        if (!Roles.CanManage(employee.Role) && managed.Count > 0)
        {
            return Problems.Conflict($"{employee.Username} manages {string.Join(", ", managed.Select(name => $"'{name}'"))}; give the team another manager first.");
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(EmployeeDetails.From(employee, await db.EmployeePhotos.AnyAsync(p => p.EmployeeId == employee.Id, cancellationToken)));
    }

    /// <summary>A team or schedule named in a request must exist (the keys check again at commit).</summary>
    private static async Task<ProblemHttpResult?> RefuseAssignmentAsync(AttendanceDbContext db, int? teamId, int? scheduleId,
        CancellationToken cancellationToken)
    {
        if (teamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, cancellationToken))
        {
            return Problems.NotFound($"There is no team with id {team}.");
        }

        return scheduleId is { } schedule && !await db.Schedules.AnyAsync(s => s.Id == schedule, cancellationToken)
            ? Problems.NotFound($"There is no schedule with id {schedule}.")
            : null;
    }
}
