using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class CorrectionConfiguration : IEntityTypeConfiguration<Correction>
{
    public const int MinReason = 3;
    public const int MaxReason = 500;
    public const int MaxNote = 500;

    public void Configure(EntityTypeBuilder<Correction> builder)
    {
        builder.ToTable("corrections", table =>
        {
            table.HasCheckConstraint("ck_corrections_shape",
                $"(kind = '{CorrectionKinds.Add}' AND action IN ('{PunchActions.In}', '{PunchActions.Out}') AND timestamp IS NOT NULL AND record_id IS NULL)"
                + $" OR (kind = '{CorrectionKinds.Void}' AND record_id IS NOT NULL AND action IS NULL AND timestamp IS NULL)");
            table.HasCheckConstraint("ck_corrections_status",
                $"status IN ('{CorrectionStatuses.Pending}', '{CorrectionStatuses.Approved}', '{CorrectionStatuses.Rejected}', '{CorrectionStatuses.Applied}')");
            table.HasCheckConstraint("ck_corrections_decided", $"(status = '{CorrectionStatuses.Pending}') = (decided_by IS NULL AND decided_at IS NULL)");
            table.HasCheckConstraint("ck_corrections_reason", $"char_length(reason) BETWEEN {MinReason} AND {MaxReason}");
        });
        builder.Property(c => c.Id).UseIdentityAlwaysColumn();
        builder.Property(c => c.Kind).HasMaxLength(8);
        builder.Property(c => c.Action).HasMaxLength(3);
        builder.Property(c => c.Reason).HasMaxLength(MaxReason);
        builder.Property(c => c.Status).HasMaxLength(16).HasDefaultValue(CorrectionStatuses.Pending);
        builder.Property(c => c.RequestedAt).HasDefaultValueSql("now()");
        builder.Property(c => c.Note).HasMaxLength(MaxNote);
        builder.Property(c => c.IdempotencyKey).HasMaxLength(128);
        builder.HasOne<Employee>().WithMany().HasForeignKey(c => c.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Employee>().WithMany().HasForeignKey(c => c.RequestedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Employee>().WithMany().HasForeignKey(c => c.DecidedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.EmployeeId, c.Id });
        builder.HasIndex(c => new { c.Status, c.Id });
        builder.HasIndex(c => new { c.EmployeeId, c.IdempotencyKey }).IsUnique();

        // Only one pending request per record to void: a second would only ever be refused.
        builder.HasIndex(c => c.RecordId).IsUnique().HasFilter($"status = '{CorrectionStatuses.Pending}'")
            .HasDatabaseName("ix_corrections_pending_record_id");
    }
}
