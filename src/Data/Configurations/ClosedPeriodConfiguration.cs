using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class ClosedPeriodConfiguration : IEntityTypeConfiguration<ClosedPeriod>
{
    public void Configure(EntityTypeBuilder<ClosedPeriod> builder)
    {
        builder.ToTable("closed_periods", table =>
        {
            table.HasCheckConstraint("ck_closed_periods_month", "extract(day FROM month) = 1");
            table.HasCheckConstraint("ck_closed_periods_bounds", "starts_at < ends_at");
        });
        builder.HasKey(p => p.Month);
        builder.Property(p => p.ClosedAt).HasDefaultValueSql("now()");
        builder.HasOne<Employee>().WithMany().HasForeignKey(p => p.ClosedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.StartsAt, p.EndsAt });
    }
}
