using AttendanceSystem.Data.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AttendanceSystem.Data.Configurations;

internal sealed class EmployeePhotoConfiguration : IEntityTypeConfiguration<EmployeePhoto>
{
    public void Configure(EntityTypeBuilder<EmployeePhoto> builder)
    {
        builder.ToTable("employee_photos", table =>
        {
            table.HasCheckConstraint("ck_employee_photos_type", "content_type IN ('image/jpeg', 'image/png', 'image/webp')");
            table.HasCheckConstraint("ck_employee_photos_size", $"octet_length(bytes) BETWEEN 1 AND {EmployeePhoto.MaxBytes}");
        });
        builder.HasKey(p => p.EmployeeId);
        builder.Property(p => p.ContentType).HasMaxLength(16);
        builder.Property(p => p.ETag).HasMaxLength(80).HasColumnName("etag");
        builder.Property(p => p.UpdatedAt).HasDefaultValueSql("now()");
        builder.HasOne<Employee>().WithOne().HasForeignKey<EmployeePhoto>(p => p.EmployeeId).OnDelete(DeleteBehavior.Cascade);
    }
}
