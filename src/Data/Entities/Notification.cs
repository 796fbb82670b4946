namespace AttendanceSystem.Data.Entities;

/// <summary>A message for one employee; the reporter pushes it live, <c>GET /notifications</c> keeps it.</summary>
public sealed class Notification
{
    public long Id { get; set; }

    public int RecipientId { get; set; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; set; }

    public required string Text { get; set; }

    public long? CorrectionId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ReadAt { get; set; }
}

public static class NotificationKinds
{
    public const string CorrectionRequested = "correction_requested";
    public const string CorrectionDecided = "correction_decided";
    public const string AutoCheckout = "auto_checkout";
}
