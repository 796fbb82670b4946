using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class PunchConfiguration : IEntityTypeConfiguration<Punch>
{
    public void Configure(EntityTypeBuilder<Punch> builder)
    {
        builder.ToTable("attendance_records", table =>
        {
            table.HasCheckConstraint("ck_attendance_records_action", $"action IN ('{PunchActions.In}', '{PunchActions.Out}')");
            table.HasCheckConstraint("ck_attendance_records_kind",
                $"(kind = '{PunchKinds.Record}' AND voids_record_id IS NULL) OR (kind = '{PunchKinds.Void}' AND voids_record_id IS NOT NULL AND correction_id IS NOT NULL)");
            table.HasCheckConstraint("ck_attendance_records_source", $"source IN ({string.Join(", ", PunchSources.All.Select(s => $"'{s}'"))})");
        });
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.Kind).HasMaxLength(8).HasDefaultValue(PunchKinds.Record);
        builder.Property(r => r.Action).HasMaxLength(3);
        builder.Property(r => r.RecordedAt).HasDefaultValueSql("now()");
        builder.Property(r => r.IdempotencyKey).HasMaxLength(128);
        builder.Property(r => r.Source).HasMaxLength(16).HasDefaultValue(PunchSources.Punch);
        builder.Property(r => r.TxId).HasColumnType("xid8").HasDefaultValueSql("pg_current_xact_id()").ValueGeneratedOnAdd();
        builder.HasIndex(r => new { r.TxId, r.Id });
        builder.HasIndex(r => r.Timestamp);

        // Employees are deactivated, never deleted: their history must stay.
        builder.HasOne(r => r.Employee).WithMany().HasForeignKey(r => r.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.EmployeeId, r.Timestamp });
        builder.HasIndex(r => new { r.EmployeeId, r.IdempotencyKey }).IsUnique();

        // A record is voided at most once; the index also answers "is it voided?" for every read of the effective timeline.
        builder.HasOne<Punch>().WithMany().HasForeignKey(r => r.VoidsRecordId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.VoidsRecordId).IsUnique().HasFilter("voids_record_id IS NOT NULL");
        builder.HasOne<Correction>().WithMany().HasForeignKey(r => r.CorrectionId).OnDelete(DeleteBehavior.Restrict);
        // Kiosks are revoked, never deleted; a partial index keeps the punch path's inserts (kiosk_id null) free of it.
        builder.HasOne<Kiosk>().WithMany().HasForeignKey(r => r.KioskId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.KioskId, r.EmployeeId }).HasFilter("kiosk_id IS NOT NULL");
    }
}
