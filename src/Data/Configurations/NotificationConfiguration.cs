using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.Property(n => n.Id).UseIdentityAlwaysColumn();
        builder.Property(n => n.Kind).HasMaxLength(32);
        builder.Property(n => n.Text).HasMaxLength(1000);
        builder.Property(n => n.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<Employee>().WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Correction>().WithMany().HasForeignKey(n => n.CorrectionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(n => new { n.RecipientId, n.Id });
        builder.HasIndex(n => new { n.RecipientId, n.Id }).HasFilter("read_at IS NULL").HasDatabaseName("ix_notifications_unread");
    }
}
