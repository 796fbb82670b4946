namespace AttendanceSystem.Data.Entities;

/// <summary>
/// A request to fix an employee's timeline: add a missing record, or void a wrong one. Pending until
/// an approver decides; applying it writes a row to the record log (<see cref="AppliedRecordId"/>)
/// in the same transaction as the decision.
/// </summary>
public sealed class Correction
{
    public long Id { get; set; }

    public int EmployeeId { get; set; }

    /// <summary><see cref="CorrectionKinds.Add"/> or <see cref="CorrectionKinds.Void"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>An add's action.</summary>
    public string? Action { get; set; }

    /// <summary>An add's time.</summary>
    public DateTime? Timestamp { get; set; }

    /// <summary>A void's record.</summary>
    public long? RecordId { get; set; }

    public required string Reason { get; set; }

    public string Status { get; set; } = CorrectionStatuses.Pending;

    public int RequestedBy { get; set; }

    public DateTime RequestedAt { get; set; }

    public int? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    public string? Note { get; set; }

    /// <summary>The record-log row written when it was applied.</summary>
    public long? AppliedRecordId { get; set; }

    /// <summary>A backdated punch's <c>Idempotency-Key</c>: sending it again answers with this correction.</summary>
    public string? IdempotencyKey { get; set; }
}

public static class CorrectionKinds
{
    public const string Add = "add";
    public const string Void = "void";

    public static bool IsValid(string? kind) => kind is Add or Void;
}

public static class CorrectionStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>Filed by an approver with <c>"apply": true</c>: applied at once.</summary>
    public const string Applied = "applied";

    public static bool IsValid(string? status) => status is Pending or Approved or Rejected or Applied;
}
