using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <inheritdoc />
    public partial class KiosksAndPins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "pin_hash",
                table: "employees",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kiosk_id",
                table: "attendance_records",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "kiosks",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    team_id = table.Column<int>(type: "integer", nullable: true),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    created_by = table.Column<int>(type: "integer", nullable: false),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kiosks", x => x.id);
                    table.CheckConstraint("ck_kiosks_token_hash", "octet_length(token_hash) = 32");
                    table.ForeignKey(
                        name: "fk_kiosks_employees_created_by",
                        column: x => x.created_by,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_kiosks_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attendance_records_kiosk_id_employee_id",
                table: "attendance_records",
                columns: new[] { "kiosk_id", "employee_id" },
                filter: "kiosk_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_kiosks_created_by",
                table: "kiosks",
                column: "created_by");

            migrationBuilder.CreateIndex(
                name: "ix_kiosks_team_id",
                table: "kiosks",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "ix_kiosks_token_hash",
                table: "kiosks",
                column: "token_hash",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_attendance_records_kiosks_kiosk_id",
                table: "attendance_records",
                column: "kiosk_id",
                principalTable: "kiosks",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_attendance_records_kiosks_kiosk_id",
                table: "attendance_records");

            migrationBuilder.DropTable(
                name: "kiosks");

            migrationBuilder.DropIndex(
                name: "ix_attendance_records_kiosk_id_employee_id",
                table: "attendance_records");

            migrationBuilder.DropColumn(
                name: "pin_hash",
                table: "employees");

            migrationBuilder.DropColumn(
                name: "kiosk_id",
                table: "attendance_records");
        }
    }
}
