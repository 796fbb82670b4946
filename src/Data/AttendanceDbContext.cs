using AttendanceSystem.Data.Entities;

namespace AttendanceSystem.Data;

public class AttendanceDbContext : DbContext
{
    public AttendanceDbContext(DbContextOptions<AttendanceDbContext> options) : base(options)
    {
    }

    /// <summary>For <see cref="AttendanceReadDbContext"/>: the same model on another connection.</summary>
    protected AttendanceDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Employee> Employees => Set<Employee>();

    public DbSet<Punch> Punches => Set<Punch>();

    public DbSet<Correction> Corrections => Set<Correction>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<ClosedPeriod> ClosedPeriods => Set<ClosedPeriod>();

    public DbSet<EmployeePhoto> EmployeePhotos => Set<EmployeePhoto>();

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<Schedule> Schedules => Set<Schedule>();

    public DbSet<Holiday> Holidays => Set<Holiday>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<TokenRevocation> TokenRevocations => Set<TokenRevocation>();

    public DbSet<LoginThrottleEntry> LoginThrottles => Set<LoginThrottleEntry>();

    public DbSet<Kiosk> Kiosks => Set<Kiosk>();

    /// <summary>The effective timeline: records no void withdraws (what history, summaries, presence and export count).</summary>
    public IQueryable<Punch> EffectiveRecords =>
        Punches.Where(r => r.Kind == PunchKinds.Record && !Punches.Any(v => v.VoidsRecordId == r.Id));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("citext");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AttendanceDbContext).Assembly);
    }
}
