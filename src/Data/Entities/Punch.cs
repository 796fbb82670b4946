namespace AttendanceSystem.Data.Entities;

public sealed class Punch
{
    public long Id { get; set; }

    public int EmployeeId { get; set; }

    public Employee? Employee { get; set; }

    /// <summary><c>in</c> or <c>out</c>.</summary>
    public required string Action { get; set; }

    /// <summary>When the punch happened (given by the client, or the server's clock).</summary>
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

    /// <summary>Where the punch came from (e.g. <c>rest</c>).</summary>
    public string Source { get; set; } = "rest";
}

public static class PunchActions
{
    public const string In = "in";
    public const string Out = "out";

    public static bool IsValid(string? action) => action is In or Out;
}
