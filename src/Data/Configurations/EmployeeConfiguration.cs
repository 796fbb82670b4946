using AttendanceSystem.Data.Entities;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class EmployeeConfiguration : IEntityTypeConfiguration<Employee>
{
    public void Configure(EntityTypeBuilder<Employee> builder)
    {
        builder.ToTable("employees", table =>
        {
            // The rules live in the database too, so no code path can store a bad row.
            table.HasCheckConstraint("ck_employees_username", $"username ~ '{UsernameRules.Pattern}'");
            table.HasCheckConstraint("ck_employees_role", $"role IN ('{Roles.Employee}', '{Roles.Manager}', '{Roles.Admin}')");
            table.HasCheckConstraint("ck_employees_last_action", $"last_action IN ('{PunchActions.In}', '{PunchActions.Out}')");
        });
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Username).HasColumnType("citext").HasMaxLength(UsernameRules.MaxLength);
        builder.HasIndex(e => e.Username).IsUnique();
        builder.Property(e => e.PasswordHash).HasMaxLength(100);
        builder.Property(e => e.PinHash).HasMaxLength(100);
        builder.Property(e => e.FullName).HasMaxLength(ProfileRules.MaxFullName);
        builder.Property(e => e.Email).HasMaxLength(ProfileRules.MaxEmail);
        builder.Property(e => e.Role).HasMaxLength(16).HasDefaultValue(Roles.Employee);
        builder.Property(e => e.Active).HasDefaultValue(true);
        builder.Property(e => e.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(e => e.LastAction).HasMaxLength(3);

        // A team or schedule in use cannot go: the API answers 409 first, the keys make sure.
        builder.HasOne<Team>().WithMany().HasForeignKey(e => e.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Schedule>().WithMany().HasForeignKey(e => e.ScheduleId).OnDelete(DeleteBehavior.Restrict);
    }
}
