using System.ComponentModel.DataAnnotations;
using AttendanceSystem.Data.Entities;

namespace AttendanceSystem.Attendance.Contracts;

public sealed record RegisterKioskRequest(
    [property: Required(ErrorMessage = "name is required: where the kiosk stands.")]
    [property: StringLength(KioskRules.MaxName, MinimumLength = 1, ErrorMessage = "name must be 1–100 characters.")] string Name,
    int? TeamId = null);

/// <summary>A kiosk as admins see it; <see cref="Token"/> only in the answer to its registration, never again.</summary>
public sealed record KioskResponse(int Id, string Name, int? TeamId, DateTime CreatedAt, int CreatedBy, DateTime? RevokedAt, string? Token = null);

/// <summary>What a kiosk learns about itself: its name, and (for a team's kiosk) the names to pick from.</summary>
public sealed record KioskSelf(int Id, string Name, int? TeamId, string? Team, List<KioskPerson> People);

public sealed record KioskPerson(int Id, string Username, string? FullName, bool HasPhoto);

public sealed record KioskPunchRequest(string? Username, string? Pin, string? Action = null);

/// <summary>The record, and who it is for: the kiosk shows the name and photo for three seconds.</summary>
public sealed record KioskPunchResponse(long Id, int EmployeeId, string Action, DateTime Timestamp, string Source, bool Voided,
    string Username, string? FullName, bool HasPhoto);

public sealed record SetPinRequest(string? CurrentPassword, string? Pin);
