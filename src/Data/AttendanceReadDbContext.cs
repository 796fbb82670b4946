namespace AttendanceSystem.Data;

/// <summary>
/// The same model for reads that may be served by a hot standby (DATABASE_READ_CONNECTION_STRING):
/// history of past days, summaries, reports, exports. Without a standby it reads the primary. Nothing
/// that must see its own writes uses it: a standby replays the primary's changes a moment later.
/// </summary>
public sealed class AttendanceReadDbContext(DbContextOptions<AttendanceReadDbContext> options) : AttendanceDbContext(options)
{
}
