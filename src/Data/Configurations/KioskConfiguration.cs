using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class KioskConfiguration : IEntityTypeConfiguration<Kiosk>
{
    public void Configure(EntityTypeBuilder<Kiosk> builder)
    {
        builder.ToTable("kiosks", table => table.HasCheckConstraint("ck_kiosks_token_hash", "octet_length(token_hash) = 32"));
        builder.Property(k => k.Id).UseIdentityAlwaysColumn();
        builder.Property(k => k.Name).HasMaxLength(KioskRules.MaxName);
        builder.HasIndex(k => k.TokenHash).IsUnique();
        builder.Property(k => k.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<Team>().WithMany().HasForeignKey(k => k.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Employee>().WithMany().HasForeignKey(k => k.CreatedBy).OnDelete(DeleteBehavior.Restrict);
    }
}
