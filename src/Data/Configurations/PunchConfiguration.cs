using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class PunchConfiguration : IEntityTypeConfiguration<Punch>
{
    public void Configure(EntityTypeBuilder<Punch> builder)
    {
        builder.ToTable("attendance_records", table =>
            table.HasCheckConstraint("ck_attendance_records_action", $"action IN ('{PunchActions.In}', '{PunchActions.Out}')"));
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.Action).HasMaxLength(3);
        builder.Property(r => r.RecordedAt).HasDefaultValueSql("now()");
        builder.Property(r => r.IdempotencyKey).HasMaxLength(128);
        builder.Property(r => r.Source).HasMaxLength(16).HasDefaultValue("rest");
        builder.Property(r => r.TxId).HasColumnType("xid8").HasDefaultValueSql("pg_current_xact_id()").ValueGeneratedOnAdd();
        builder.HasIndex(r => new { r.TxId, r.Id });
        builder.HasIndex(r => r.Timestamp);

        // Employees are deactivated, never deleted: their history must stay.
        builder.HasOne(r => r.Employee).WithMany().HasForeignKey(r => r.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.EmployeeId, r.Timestamp });
        builder.HasIndex(r => new { r.EmployeeId, r.IdempotencyKey }).IsUnique();
    }
}
