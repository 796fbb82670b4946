using System.Globalization;
using System.Security.Claims;
using AttendanceSystem.Auth.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Auth.Apis;

/// <summary>The employee directory (any signed-in user) and its administration (admins).</summary>
public static class EmployeesApi
{
    public static IEndpointRouteBuilder MapEmployeesApi(this IEndpointRouteBuilder app)
    {
        var employees = app.MapGroup("/employees").RequireAuthorization();
        employees.MapGet("/", ListAsync)
            .WithSummary("List employees by id, a page at a time (limit, after).");
        employees.MapPut("/{id}/role", SetRoleAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Make an employee an admin or back (admin only).");
        employees.MapPost("/{id}/deactivate", DeactivateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Stop an employee from logging in (admin only).");
        return app;
    }

    public static async Task<Results<Ok<List<EmployeeSummary>>, ValidationProblem>> ListAsync(
        int? limit, long? after, HttpContext http, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (!Page.TryCreate(limit, after, out var page, out var problem))
        {
            return problem!;
        }

        var items = await db.Employees.AsNoTracking()
            .Where(e => e.Id > page.After)
            .OrderBy(e => e.Id)
            .Take(page.Limit)
            .Select(e => new EmployeeSummary(e.Id, e.Username))
            .ToListAsync(cancellationToken);

        if (items.Count == page.Limit)
        {
            http.Response.Headers.Link = string.Create(CultureInfo.InvariantCulture,
                $"</employees?limit={page.Limit}&after={items[^1].Id}>; rel=\"next\"");
        }

        return TypedResults.Ok(items);
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
            return Problems.Invalid("role", $"role must be '{Roles.Employee}' or '{Roles.Admin}'.");
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

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.WriteAsync(audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(EmployeeDetails.From(employee));
    }
}
