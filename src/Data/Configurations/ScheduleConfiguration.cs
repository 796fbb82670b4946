using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> builder)
    {
        builder.ToTable("schedules", table =>
        {
            table.HasCheckConstraint("ck_schedules_name", "length(btrim(name)) > 0");
            table.HasCheckConstraint("ck_schedules_grace", $"grace_minutes BETWEEN 0 AND {ScheduleRules.MaxGraceMinutes}");
            table.HasCheckConstraint("ck_schedules_days", "jsonb_typeof(days) = 'object'");
        });
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
        builder.Property(s => s.Name).HasColumnType("citext").HasMaxLength(ScheduleRules.MaxName);
        builder.HasIndex(s => s.Name).IsUnique();
        builder.Property(s => s.TimeZone).HasMaxLength(ScheduleRules.MaxZone);
        builder.Property(s => s.Days).HasColumnType("jsonb");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class HolidayConfiguration : IEntityTypeConfiguration<Holiday>
{
    public void Configure(EntityTypeBuilder<Holiday> builder)
    {
        builder.ToTable("holidays", table => table.HasCheckConstraint("ck_holidays_name", "length(btrim(name)) > 0"));
        builder.HasKey(h => h.Date);
        builder.Property(h => h.Name).HasMaxLength(ScheduleRules.MaxName);
    }
}
