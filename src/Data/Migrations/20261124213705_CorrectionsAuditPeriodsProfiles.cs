using System;
using AttendanceSystem.Data.Rules;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <inheritdoc />
    public partial class CorrectionsAuditPeriodsProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "email",
                table: "employees",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "full_name",
                table: "employees",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "source",
                table: "attendance_records",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "punch",
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16,
                oldDefaultValue: "rest");

            migrationBuilder.AddColumn<long>(
                name: "correction_id",
                table: "attendance_records",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "attendance_records",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "record");

            migrationBuilder.AddColumn<long>(
                name: "voids_record_id",
                table: "attendance_records",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<int>(type: "integer", nullable: true),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    employee_id = table.Column<int>(type: "integer", nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "closed_periods",
                columns: table => new
                {
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    starts_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    closed_by = table.Column<int>(type: "integer", nullable: false),
                    closed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_closed_periods", x => x.month);
                    table.CheckConstraint("ck_closed_periods_bounds", "starts_at < ends_at");
                    table.CheckConstraint("ck_closed_periods_month", "extract(day FROM month) = 1");
                    table.ForeignKey(
                        name: "fk_closed_periods_employees_closed_by",
                        column: x => x.closed_by,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "corrections",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    employee_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    action = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    record_id = table.Column<long>(type: "bigint", nullable: true),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, defaultValue: "pending"),
                    requested_by = table.Column<int>(type: "integer", nullable: false),
                    requested_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    decided_by = table.Column<int>(type: "integer", nullable: true),
                    decided_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    applied_record_id = table.Column<long>(type: "bigint", nullable: true),
                    idempotency_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_corrections", x => x.id);
                    table.CheckConstraint("ck_corrections_decided", "(status = 'pending') = (decided_by IS NULL AND decided_at IS NULL)");
                    table.CheckConstraint("ck_corrections_reason", "char_length(reason) BETWEEN 3 AND 500");
                    table.CheckConstraint("ck_corrections_shape", "(kind = 'add' AND action IN ('in', 'out') AND timestamp IS NOT NULL AND record_id IS NULL) OR (kind = 'void' AND record_id IS NOT NULL AND action IS NULL AND timestamp IS NULL)");
                    table.CheckConstraint("ck_corrections_status", "status IN ('pending', 'approved', 'rejected', 'applied')");
                    table.ForeignKey(
                        name: "fk_corrections_employees_decided_by",
                        column: x => x.decided_by,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_corrections_employees_employee_id",
                        column: x => x.employee_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_corrections_employees_requested_by",
                        column: x => x.requested_by,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    recipient_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    correction_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    read_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_notifications_corrections_correction_id",
                        column: x => x.correction_id,
                        principalTable: "corrections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_notifications_employees_recipient_id",
                        column: x => x.recipient_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attendance_records_correction_id",
                table: "attendance_records",
                column: "correction_id");

            migrationBuilder.CreateIndex(
                name: "ix_attendance_records_voids_record_id",
                table: "attendance_records",
                column: "voids_record_id",
                unique: true,
                filter: "voids_record_id IS NOT NULL");

            // Version 1 wrote source 'rest' for every punch; version 2 calls that 'punch'. The one
            // sanctioned rewrite of the append-only log, while its guard is off for this statement.
            migrationBuilder.Sql("""
                ALTER TABLE attendance_records DISABLE TRIGGER attendance_records_append_only;
                UPDATE attendance_records SET source = 'punch' WHERE source = 'rest';
                ALTER TABLE attendance_records ENABLE TRIGGER attendance_records_append_only;
                """);

            migrationBuilder.AddCheckConstraint(
                name: "ck_attendance_records_kind",
                table: "attendance_records",
                sql: "(kind = 'record' AND voids_record_id IS NULL) OR (kind = 'void' AND voids_record_id IS NOT NULL AND correction_id IS NOT NULL)");

            migrationBuilder.AddCheckConstraint(
                name: "ck_attendance_records_source",
                table: "attendance_records",
                sql: "source IN ('punch', 'correction', 'auto', 'offline', 'kiosk')");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_action_id",
                table: "audit_log",
                columns: new[] { "action", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_actor_id_id",
                table: "audit_log",
                columns: new[] { "actor_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at",
                table: "audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_employee_id_id",
                table: "audit_log",
                columns: new[] { "employee_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_closed_periods_closed_by",
                table: "closed_periods",
                column: "closed_by");

            migrationBuilder.CreateIndex(
                name: "ix_closed_periods_starts_at_ends_at",
                table: "closed_periods",
                columns: new[] { "starts_at", "ends_at" });

            migrationBuilder.CreateIndex(
                name: "ix_corrections_decided_by",
                table: "corrections",
                column: "decided_by");

            migrationBuilder.CreateIndex(
                name: "ix_corrections_employee_id_id",
                table: "corrections",
                columns: new[] { "employee_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_corrections_employee_id_idempotency_key",
                table: "corrections",
                columns: new[] { "employee_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_corrections_pending_record_id",
                table: "corrections",
                column: "record_id",
                unique: true,
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_corrections_requested_by",
                table: "corrections",
                column: "requested_by");

            migrationBuilder.CreateIndex(
                name: "ix_corrections_status_id",
                table: "corrections",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_correction_id",
                table: "notifications",
                column: "correction_id");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_unread",
                table: "notifications",
                columns: new[] { "recipient_id", "id" },
                filter: "read_at IS NULL");

            migrationBuilder.AddForeignKey(
                name: "fk_attendance_records_attendance_records_voids_record_id",
                table: "attendance_records",
                column: "voids_record_id",
                principalTable: "attendance_records",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_attendance_records_corrections_correction_id",
                table: "attendance_records",
                column: "correction_id",
                principalTable: "corrections",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // The punch rules with corrections and closed periods; the audit log's chain and guard;
            // notifications' wake-up.
            migrationBuilder.Sql(SqlScripts.Load("punch_rules.v2.sql"));
            migrationBuilder.Sql(SqlScripts.Load("audit_log.v1.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to version 1 of the punch rules (its script creates all three of its functions).
            migrationBuilder.Sql("""
                DROP TABLE audit_chain;
                DROP FUNCTION audit_log_chain() CASCADE;
                DROP FUNCTION audit_log_append_only() CASCADE;
                DROP FUNCTION notifications_notify() CASCADE;
                DROP FUNCTION attendance_records_enforce_rules() CASCADE;
                DROP FUNCTION attendance_records_append_only() CASCADE;
                DROP FUNCTION attendance_records_notify() CASCADE;
                DROP FUNCTION attendance_refuse_closed_period(timestamptz, text);
                DROP FUNCTION attendance_closed_period(timestamptz);
                DROP FUNCTION attendance_effective_before(int, timestamptz, bigint);
                DROP FUNCTION attendance_effective_after(int, timestamptz, bigint);
                DROP FUNCTION attendance_describe(attendance_records);
                DROP FUNCTION attendance_iso(timestamptz);
                """);
            migrationBuilder.Sql(SqlScripts.Load("punch_rules.v1.sql"));

            migrationBuilder.DropForeignKey(
                name: "fk_attendance_records_attendance_records_voids_record_id",
                table: "attendance_records");

            migrationBuilder.DropForeignKey(
                name: "fk_attendance_records_corrections_correction_id",
                table: "attendance_records");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "closed_periods");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "corrections");

            migrationBuilder.DropIndex(
                name: "ix_attendance_records_correction_id",
                table: "attendance_records");

            migrationBuilder.DropIndex(
                name: "ix_attendance_records_voids_record_id",
                table: "attendance_records");

            migrationBuilder.DropCheckConstraint(
                name: "ck_attendance_records_kind",
                table: "attendance_records");

            migrationBuilder.DropCheckConstraint(
                name: "ck_attendance_records_source",
                table: "attendance_records");

            migrationBuilder.DropColumn(
                name: "email",
                table: "employees");

            migrationBuilder.DropColumn(
                name: "full_name",
                table: "employees");

            migrationBuilder.DropColumn(
                name: "correction_id",
                table: "attendance_records");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "attendance_records");

            migrationBuilder.DropColumn(
                name: "voids_record_id",
                table: "attendance_records");

            migrationBuilder.AlterColumn<string>(
                name: "source",
                table: "attendance_records",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "rest",
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16,
                oldDefaultValue: "punch");
        }
    }
}
