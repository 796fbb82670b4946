namespace AttendanceSystem.Data.Entities;

/// <summary>People who share a manager: the manager sees and approves their attendance.</summary>
public sealed class Team
{
    public int Id { get; set; }

    /// <summary>Unique case-insensitively (a <c>citext</c> column), 1–100 characters.</summary>
    public required string Name { get; set; }

    /// <summary>At most one manager, whose role is manager or admin (checked by the API, which locks the row).</summary>
    public int? ManagerId { get; set; }

    public DateTime CreatedAt { get; set; }
}
