using System;
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

            // The punch rules, enforced by the database in the transaction that writes the record.
            // The employee row is locked first, so simultaneous punches by one employee queue up and
            // each sees the state the previous one left.
            migrationBuilder.Sql("""
                CREATE FUNCTION attendance_records_enforce_rules() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                  state record;
                  previous record;
                BEGIN
                  SELECT active, last_action, last_punch_at INTO state
                  FROM employees WHERE id = NEW.employee_id FOR UPDATE;
                  IF NOT FOUND THEN
                    RAISE EXCEPTION 'There is no employee with id %.', NEW.employee_id USING ERRCODE = 'foreign_key_violation';
                  END IF;

                  IF NEW.idempotency_key IS NOT NULL THEN
                    SELECT action INTO previous FROM attendance_records
                    WHERE employee_id = NEW.employee_id AND idempotency_key = NEW.idempotency_key;
                    IF FOUND THEN
                      IF previous.action <> NEW.action THEN
                        RAISE EXCEPTION 'This Idempotency-Key was already used for a punch "%"; use a new key for a new punch.', previous.action
                          USING ERRCODE = 'AT004';
                      END IF;
                      RETURN NULL; -- a replay: write nothing, the caller answers with the first record
                    END IF;
                  END IF;

                  -- No time given: now, taken after the lock so times follow the order punches are
                  -- decided in, and strictly after the last punch so that order is never ambiguous.
                  IF NEW.timestamp IS NULL THEN
                    NEW.timestamp := greatest(date_trunc('milliseconds', clock_timestamp()),
                                              state.last_punch_at + interval '1 millisecond');
                  END IF;

                  IF NOT state.active THEN
                    RAISE EXCEPTION 'This account has been deactivated.' USING ERRCODE = 'AT005';
                  END IF;
                  IF state.last_action IS NULL AND NEW.action <> 'in' THEN
                    RAISE EXCEPTION 'The first punch must be "in".' USING ERRCODE = 'AT001';
                  END IF;
                  IF state.last_action = NEW.action THEN
                    RAISE EXCEPTION 'Already punched "%"; the next punch must be "%".',
                      NEW.action, CASE NEW.action WHEN 'in' THEN 'out' ELSE 'in' END USING ERRCODE = 'AT002';
                  END IF;
                  IF NEW.timestamp < state.last_punch_at THEN
                    RAISE EXCEPTION 'The time % is before the last punch at %.',
                      to_char(NEW.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                      to_char(state.last_punch_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') USING ERRCODE = 'AT003';
                  END IF;

                  UPDATE employees SET last_action = NEW.action, last_punch_at = NEW.timestamp WHERE id = NEW.employee_id;
                  RETURN NEW;
                END $$;

                CREATE TRIGGER attendance_records_enforce_rules BEFORE INSERT ON attendance_records
                  FOR EACH ROW EXECUTE FUNCTION attendance_records_enforce_rules();

                -- History is append-only: a changed or removed record would break the state above
                -- and what live readers already delivered.
                CREATE FUNCTION attendance_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'Attendance records are append-only.' USING ERRCODE = 'AT006';
                END $$;

                CREATE TRIGGER attendance_records_append_only BEFORE UPDATE OR DELETE ON attendance_records
                  FOR EACH ROW EXECUTE FUNCTION attendance_records_append_only();

                -- Wakes the live readers when records commit; the table stays the source of truth.
                CREATE FUNCTION attendance_records_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_notify('attendance_records', '');
                  RETURN NULL;
                END $$;

                CREATE TRIGGER attendance_records_notify AFTER INSERT ON attendance_records
                  FOR EACH STATEMENT EXECUTE FUNCTION attendance_records_notify();
                """);
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
