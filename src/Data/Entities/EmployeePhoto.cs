namespace AttendanceSystem.Data.Entities;

/// <summary>A person's photo (at most one): the bytes, their type as read from the bytes, and an ETag for caches.</summary>
public sealed class EmployeePhoto
{
    public const int MaxBytes = 1024 * 1024;

    public int EmployeeId { get; set; }

    /// <summary><c>image/jpeg</c>, <c>image/png</c> or <c>image/webp</c>.</summary>
    public required string ContentType { get; set; }

    public required byte[] Bytes { get; set; }

    /// <summary>A strong ETag: the bytes' SHA-256, quoted.</summary>
    public required string ETag { get; set; }

    public DateTime UpdatedAt { get; set; }
}
