using System;
using AttendanceSystem.Data.Rules;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <inheritdoc />
    public partial class PunchRulesAndLiveFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "last_action",
                table: "employees",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "last_punch_at",
                table: "employees",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<ulong>(
                name: "tx_id",
                table: "attendance_records",
                type: "xid8",
                nullable: false,
                defaultValueSql: "pg_current_xact_id()");

            migrationBuilder.AddCheckConstraint(
                name: "ck_employees_last_action",
                table: "employees",
                sql: "last_action IN ('in', 'out')");

            migrationBuilder.CreateIndex(
                name: "ix_attendance_records_timestamp",
                table: "attendance_records",
                column: "timestamp");

            migrationBuilder.CreateIndex(
                name: "ix_attendance_records_tx_id_id",
                table: "attendance_records",
                columns: new[] { "tx_id", "id" });

            // Existing history (if any) decides each employee's state.
            migrationBuilder.Sql("""
                UPDATE employees e SET last_action = r.action, last_punch_at = r.timestamp
                FROM (SELECT DISTINCT ON (employee_id) employee_id, action, timestamp
                      FROM attendance_records ORDER BY employee_id, timestamp DESC, id DESC) r
                WHERE e.id = r.employee_id;
                """);

            // The punch rules, the append-only guard and the live feed's wake-up, as SQL of their own.
            migrationBuilder.Sql(SqlScripts.Load("punch_rules.v1.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS attendance_records_notify ON attendance_records;
                DROP TRIGGER IF EXISTS attendance_records_append_only ON attendance_records;
                DROP TRIGGER IF EXISTS attendance_records_enforce_rules ON attendance_records;
                DROP FUNCTION IF EXISTS attendance_records_notify();
                DROP FUNCTION IF EXISTS attendance_records_append_only();
                DROP FUNCTION IF EXISTS attendance_records_enforce_rules();
                """);

            migrationBuilder.DropCheckConstraint(
                name: "ck_employees_last_action",
                table: "employees");

            migrationBuilder.DropIndex(
                name: "ix_attendance_records_timestamp",
                table: "attendance_records");

            migrationBuilder.DropIndex(
                name: "ix_attendance_records_tx_id_id",
                table: "attendance_records");

            migrationBuilder.DropColumn(
                name: "last_action",
                table: "employees");

            migrationBuilder.DropColumn(
                name: "last_punch_at",
                table: "employees");

            migrationBuilder.DropColumn(
                name: "tx_id",
                table: "attendance_records");
        }
    }
}
