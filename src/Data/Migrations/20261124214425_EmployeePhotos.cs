using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmployeePhotos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "employee_photos",
                columns: table => new
                {
                    employee_id = table.Column<int>(type: "integer", nullable: false),
                    content_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    bytes = table.Column<byte[]>(type: "bytea", nullable: false),
                    etag = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_employee_photos", x => x.employee_id);
                    table.CheckConstraint("ck_employee_photos_size", "octet_length(bytes) BETWEEN 1 AND 1048576");
                    table.CheckConstraint("ck_employee_photos_type", "content_type IN ('image/jpeg', 'image/png', 'image/webp')");
                    table.ForeignKey(
                        name: "fk_employee_photos_employees_employee_id",
                        column: x => x.employee_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "employee_photos");
        }
    }
}
