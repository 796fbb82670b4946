using System.Text.Json;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace AttendanceSystem.Data.Audit;

/// <summary>One thing that happened, as the audit log records it.</summary>
/// <param name="ActorId">Who did it (null: the system, e.g. an automatic check-out).</param>
/// <param name="EmployeeId">Whose data it concerns.</param>
/// <param name="Details">Any object; stored as JSON with snake_case names.</param>
public sealed record AuditEvent(int? ActorId, string Action, int? EmployeeId, object? Details = null);

/// <summary>
/// Writes the audit log, always inside the transaction of the change it records: the row and the
/// change commit together or not at all. The database numbers, stamps and chains each row
/// (<c>Sql/audit_log.v1.sql</c>), so concurrent writers queue on the chain's head and never fork it.
/// </summary>
public static class AuditLog
{
    private const string InsertSql =
        "INSERT INTO audit_log (actor_id, action, employee_id, details) VALUES (@actor_id, @action, @employee_id, @details)";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>An event that changes nothing else (a download, a lockout): its own transaction.</summary>
    public static async Task WriteAsync(NpgsqlDataSource dataSource, AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>On a raw connection, in <paramref name="transaction"/>.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.AddRange(Parameters(entry));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Through EF Core, in the context's current transaction (the caller opens one around its change).</summary>
    public static async Task WriteAsync(this DatabaseFacade database, AuditEvent entry, CancellationToken cancellationToken)
    {
        if (database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An audit row is written in the transaction of the change it records; begin one first.");
        }

        await database.ExecuteSqlRawAsync(InsertSql, Parameters(entry), cancellationToken);
    }

    private static NpgsqlParameter[] Parameters(AuditEvent entry) =>
    [
        new("actor_id", NpgsqlDbType.Integer) { Value = (object?)entry.ActorId ?? DBNull.Value },
        new("action", NpgsqlDbType.Text) { Value = entry.Action },
        new("employee_id", NpgsqlDbType.Integer) { Value = (object?)entry.EmployeeId ?? DBNull.Value },
        new("details", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(entry.Details ?? new { }, Json) },
    ];
}

/// <summary>The audited actions, named once.</summary>
public static class AuditActions
{
    public const string EmployeeRegistered = "employee.registered";
    public const string EmployeeCreated = "employee.created";
    public const string ProfileChanged = "employee.profile_changed";
    public const string PhotoChanged = "employee.photo_changed";
    public const string EmployeeReactivated = "employee.reactivated";
    public const string RoleChanged = "employee.role_changed";
    public const string EmployeeDeactivated = "employee.deactivated";
    public const string PasswordChanged = "employee.password_changed";
    public const string LoginLockedOut = "login.locked_out";
    public const string PunchBackdated = "punch.backdated";
    public const string PunchOffline = "punch.offline";
    public const string PunchAtKiosk = "punch.kiosk";
    public const string PinChanged = "employee.pin_changed";
    public const string PinLockedOut = "kiosk.pin_locked_out";
    public const string KioskRegistered = "kiosk.registered";
    public const string KioskRevoked = "kiosk.revoked";
    public const string CorrectionRequested = "correction.requested";
    public const string CorrectionApproved = "correction.approved";
    public const string CorrectionRejected = "correction.rejected";
    public const string CorrectionApplied = "correction.applied";
    public const string AutoCheckout = "punch.auto_checkout";
    public const string ExportDownloaded = "export.downloaded";
    public const string ReportDownloaded = "report.downloaded";
    public const string PeriodClosed = "period.closed";
    public const string PeriodReopened = "period.reopened";
    public const string TeamCreated = "team.created";
    public const string TeamChanged = "team.changed";
    public const string TeamDeleted = "team.deleted";
    public const string TeamAssigned = "employee.team_changed";
    public const string ScheduleAssigned = "employee.schedule_changed";
    public const string ScheduleCreated = "schedule.created";
    public const string ScheduleChanged = "schedule.changed";
    public const string ScheduleDeleted = "schedule.deleted";
    public const string HolidayAdded = "holiday.added";
    public const string HolidayRemoved = "holiday.removed";
}
