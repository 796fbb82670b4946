using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        // Numbered by the chain trigger, under the chain's lock: ids follow the chain with no gaps.
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Details).HasColumnType("jsonb");
        builder.Property(a => a.Hash).HasColumnType("bytea");
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.EmployeeId, a.Id });
        builder.HasIndex(a => new { a.ActorId, a.Id });
        builder.HasIndex(a => new { a.Action, a.Id });
    }
}
