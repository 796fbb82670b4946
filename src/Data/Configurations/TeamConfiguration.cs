using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.ToTable("teams", table => table.HasCheckConstraint("ck_teams_name", "length(btrim(name)) > 0"));
        builder.Property(t => t.Id).UseIdentityAlwaysColumn();
        builder.Property(t => t.Name).HasColumnType("citext").HasMaxLength(ScheduleRules.MaxName);
        builder.HasIndex(t => t.Name).IsUnique();
        builder.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<Employee>().WithMany().HasForeignKey(t => t.ManagerId).OnDelete(DeleteBehavior.Restrict);
    }
}
