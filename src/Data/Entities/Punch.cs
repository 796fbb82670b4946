namespace AttendanceSystem.Data.Entities;

/// <summary>
/// A row of the append-only record log (<c>attendance_records</c>): a punch, or a void that
/// withdraws one (<see cref="PunchKinds.Void"/>). The voided record stays; the effective timeline
/// is every record no void names.
/// </summary>
public sealed class Punch
{
    public long Id { get; set; }

    public int EmployeeId { get; set; }

    public Employee? Employee { get; set; }

    /// <summary><see cref="PunchKinds.Record"/> or <see cref="PunchKinds.Void"/>.</summary>
    public string Kind { get; set; } = PunchKinds.Record;

    /// <summary><c>in</c> or <c>out</c> (a void repeats the voided record's).</summary>
    public required string Action { get; set; }

    /// <summary>When the punch happened (given by the client, or the server's clock; a void repeats the voided record's).</summary>
    public DateTime Timestamp { get; set; }

    /// <summary>When the server stored it.</summary>
    public DateTime RecordedAt { get; set; }

    /// <summary>The client's <c>Idempotency-Key</c>; unique per employee.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>
    /// The inserting transaction's id (<c>xid8</c>). Live readers order by (TxId, Id) and read only
    /// below the oldest running transaction, so a record that commits late is never skipped.
    /// </summary>
    public ulong TxId { get; set; }

    /// <summary>Where the record came from: one of <see cref="PunchSources"/>.</summary>
    public string Source { get; set; } = PunchSources.Punch;

    /// <summary>For a void: the record it withdraws (at most one void per record).</summary>
    public long? VoidsRecordId { get; set; }

    /// <summary>The correction that wrote this row (an added record, or a void).</summary>
    public long? CorrectionId { get; set; }

    /// <summary>The kiosk a <see cref="PunchSources.Kiosk"/> punch was made at.</summary>
    public int? KioskId { get; set; }
}

public static class PunchActions
{
    public const string In = "in";
    public const string Out = "out";

    public static bool IsValid(string? action) => action is In or Out;
}

public static class PunchKinds
{
    public const string Record = "record";
    public const string Void = "void";
}

/// <summary>Where a record came from (DESIGN.md: punch | correction | auto | offline | kiosk).</summary>
public static class PunchSources
{
    public const string Punch = "punch";
    public const string Correction = "correction";
    public const string Auto = "auto";
    public const string Offline = "offline";
    public const string Kiosk = "kiosk";

    public static IReadOnlyList<string> All { get; } = [Punch, Correction, Auto, Offline, Kiosk];
}
