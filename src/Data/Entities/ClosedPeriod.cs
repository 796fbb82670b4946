namespace AttendanceSystem.Data.Entities;

/// <summary>
/// A closed month: nothing dated in [<see cref="StartsAt"/>, <see cref="EndsAt"/>) changes any more
/// (the punch rules refuse it), so the report that went to payroll stays true. Reopening removes the row;
/// the audit log keeps both steps.
/// </summary>
public sealed class ClosedPeriod
{
    /// <summary>The month's first day (YYYY-MM-01).</summary>
    public DateOnly Month { get; set; }

    /// <summary>The month's bounds in UTC, as its business days fell when it was closed.</summary>
    public DateTime StartsAt { get; set; }

    public DateTime EndsAt { get; set; }

    public int ClosedBy { get; set; }

    public DateTime ClosedAt { get; set; }
}
