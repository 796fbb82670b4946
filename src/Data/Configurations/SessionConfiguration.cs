using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("clock_timestamp()");
        builder.Property(s => s.LastUsedAt).HasDefaultValueSql("clock_timestamp()");
        builder.Property(s => s.RevokedReason).HasMaxLength(100);
        builder.HasOne<Employee>().WithMany().HasForeignKey(s => s.EmployeeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.EmployeeId).HasFilter("revoked_at IS NULL");
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("refresh_tokens", table => table.HasCheckConstraint("ck_refresh_tokens_hash", "length(token_hash) = 32"));
        builder.HasKey(t => t.TokenHash);
        builder.Property(t => t.CreatedAt).HasDefaultValueSql("clock_timestamp()");
        builder.HasOne<Session>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.SessionId);
    }
}

internal sealed class TokenRevocationConfiguration : IEntityTypeConfiguration<TokenRevocation>
{
    public void Configure(EntityTypeBuilder<TokenRevocation> builder)
    {
        builder.ToTable("token_revocations");
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.Reason).HasMaxLength(100);
        builder.Property(r => r.RevokedAt).HasDefaultValueSql("clock_timestamp()");
        builder.HasIndex(r => r.RevokedAt);
    }
}

internal sealed class LoginThrottleConfiguration : IEntityTypeConfiguration<LoginThrottleEntry>
{
    public void Configure(EntityTypeBuilder<LoginThrottleEntry> builder)
    {
        builder.ToTable("login_throttles");
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasMaxLength(300);
        builder.HasIndex(t => t.WindowEndsAt);
    }
}
