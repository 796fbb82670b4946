using Microsoft.EntityFrameworkCore.Design;

namespace AttendanceSystem.Data.Migrations;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting a service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AttendanceDbContext>
{
    public AttendanceDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AttendanceDbContext>()
        .UseNpgsql(Environment.GetEnvironmentVariable("DATABASE_CONNECTION_STRING") ?? "Host=localhost;Database=attendance")
        .UseSnakeCaseNamingConvention()
        .Options);
}
