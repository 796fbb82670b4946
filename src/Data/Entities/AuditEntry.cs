namespace AttendanceSystem.Data.Entities;

/// <summary>
/// A row of the append-only, hash-chained audit log. The database assigns <see cref="Id"/>,
/// <see cref="At"/> and <see cref="Hash"/> (<c>Sql/audit_log.v1.sql</c>); code only inserts
/// (<see cref="AttendanceSystem.Data.Audit.AuditLog"/>).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public int? ActorId { get; set; }

    public required string Action { get; set; }

    public int? EmployeeId { get; set; }

    /// <summary>A JSON object (<c>jsonb</c>).</summary>
    public required string Details { get; set; }

    /// <summary>SHA-256(previous row's hash ‖ this row's canonical text).</summary>
    public byte[] Hash { get; set; } = [];
}
