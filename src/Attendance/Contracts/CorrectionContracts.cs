using System.Text.Json;

namespace AttendanceSystem.Attendance.Contracts;

/// <summary>
/// <c>POST /attendance/corrections</c>: add a missing record (<c>action</c>, <c>timestamp</c>) or
/// void one (<c>record_id</c>), with a reason; <c>apply</c> (an approver) applies it at once.
/// </summary>
public sealed record CorrectionRequest(
    string? Kind,
    string? Reason,
    int? EmployeeId = null,
    string? Action = null,
    DateTime? Timestamp = null,
    long? RecordId = null,
    bool Apply = false);

/// <summary><c>POST /attendance/corrections/{id}/approve|reject</c>.</summary>
public sealed record DecisionRequest(string? Note = null);

public sealed record CorrectionResponse(
    long Id,
    int EmployeeId,
    string Kind,
    string? Action,
    DateTime? Timestamp,
    long? RecordId,
    string Reason,
    string Status,
    int RequestedBy,
    DateTime RequestedAt,
    int? DecidedBy,
    DateTime? DecidedAt,
    string? Note);

public sealed record NotificationResponse(long Id, string Kind, string Text, long? CorrectionId, DateTime CreatedAt, DateTime? ReadAt);

public sealed record UnreadCount(int Unread);

public sealed record AuditEntryResponse(long Id, DateTime At, int? ActorId, string? Actor, string Action, int? EmployeeId, JsonElement Details);

public sealed record AuditVerification(bool Ok, long Rows, long? FirstBadId, string? Problem);
