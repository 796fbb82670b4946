using System;
using AttendanceSystem.Data.Rules;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClosedPeriods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "ix_closed_periods_closed_by",
                table: "closed_periods",
                column: "closed_by");

            migrationBuilder.CreateIndex(
                name: "ix_closed_periods_starts_at_ends_at",
                table: "closed_periods",
                columns: new[] { "starts_at", "ends_at" });

            // Closed periods in the punch rules.
            migrationBuilder.Sql(SqlScripts.Load("punch_rules.v3.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to version 2 of the punch rules (its functions are all CREATE OR REPLACE).
            migrationBuilder.Sql(SqlScripts.Load("punch_rules.v2.sql"));
            migrationBuilder.Sql("DROP FUNCTION attendance_period_closed(timestamptz);");

            migrationBuilder.DropTable(
                name: "closed_periods");
        }
    }
}
