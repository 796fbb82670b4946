namespace AttendanceSystem.Auth.Contracts;

public sealed record TeamResponse(int Id, string Name, int? ManagerId, int MemberCount);

/// <summary><c>POST /teams</c>: a name (1–100 characters, unique ignoring case) and perhaps its manager.</summary>
public sealed record CreateTeamRequest(string? Name, int? ManagerId = null);

/// <summary><c>PATCH /teams/{id}</c>: a field left out stays; <c>"manager_id": null</c> leaves the team without a manager.</summary>
public sealed record UpdateTeamRequest(string? Name = null, Settable<int?> ManagerId = default);
