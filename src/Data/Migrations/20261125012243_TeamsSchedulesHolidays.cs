using System;
using AttendanceSystem.Data.Rules;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <inheritdoc />
    public partial class TeamsSchedulesHolidays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_employees_role",
                table: "employees");

            migrationBuilder.AddColumn<int>(
                name: "schedule_id",
                table: "employees",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "team_id",
                table: "employees",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "holidays",
                columns: table => new
                {
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_holidays", x => x.date);
                    table.CheckConstraint("ck_holidays_name", "length(btrim(name)) > 0");
                });

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "citext", maxLength: 100, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    grace_minutes = table.Column<int>(type: "integer", nullable: false),
                    days = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedules", x => x.id);
                    table.CheckConstraint("ck_schedules_days", "jsonb_typeof(days) = 'object'");
                    table.CheckConstraint("ck_schedules_grace", "grace_minutes BETWEEN 0 AND 240");
                    table.CheckConstraint("ck_schedules_name", "length(btrim(name)) > 0");
                });

            migrationBuilder.CreateTable(
                name: "teams",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "citext", maxLength: 100, nullable: false),
                    manager_id = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_teams", x => x.id);
                    table.CheckConstraint("ck_teams_name", "length(btrim(name)) > 0");
                    table.ForeignKey(
                        name: "fk_teams_employees_manager_id",
                        column: x => x.manager_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_employees_schedule_id",
                table: "employees",
                column: "schedule_id");

            migrationBuilder.CreateIndex(
                name: "ix_employees_team_id",
                table: "employees",
                column: "team_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_employees_role",
                table: "employees",
                sql: "role IN ('employee', 'manager', 'admin')");

            migrationBuilder.CreateIndex(
                name: "ix_schedules_name",
                table: "schedules",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_teams_manager_id",
                table: "teams",
                column: "manager_id");

            migrationBuilder.CreateIndex(
                name: "ix_teams_name",
                table: "teams",
                column: "name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_employees_schedules_schedule_id",
                table: "employees",
                column: "schedule_id",
                principalTable: "schedules",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_employees_teams_team_id",
                table: "employees",
                column: "team_id",
                principalTable: "teams",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Each process's team directory learns of team changes as they commit.
            migrationBuilder.Sql(SqlScripts.Load("teams.v1.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER employees_team_changed ON employees;
                DROP TRIGGER employees_added ON employees;
                DROP FUNCTION attendance_team_members_added();
                DROP FUNCTION attendance_teams_changed() CASCADE;
                """);

            migrationBuilder.DropForeignKey(
                name: "fk_employees_schedules_schedule_id",
                table: "employees");

            migrationBuilder.DropForeignKey(
                name: "fk_employees_teams_team_id",
                table: "employees");

            migrationBuilder.DropTable(
                name: "holidays");

            migrationBuilder.DropTable(
                name: "schedules");

            migrationBuilder.DropTable(
                name: "teams");

            migrationBuilder.DropIndex(
                name: "ix_employees_schedule_id",
                table: "employees");

            migrationBuilder.DropIndex(
                name: "ix_employees_team_id",
                table: "employees");

            migrationBuilder.DropCheckConstraint(
                name: "ck_employees_role",
                table: "employees");

            migrationBuilder.DropColumn(
                name: "schedule_id",
                table: "employees");

            migrationBuilder.DropColumn(
                name: "team_id",
                table: "employees");

            migrationBuilder.AddCheckConstraint(
                name: "ck_employees_role",
                table: "employees",
                sql: "role IN ('employee', 'admin')");
        }
    }
}
