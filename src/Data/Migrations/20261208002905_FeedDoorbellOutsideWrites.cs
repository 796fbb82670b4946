using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <summary>
    /// The live feed's wake-up leaves the write transaction: the statement trigger's NOTIFY made every
    /// commit that wrote records take PostgreSQL's notify-queue lock, so punches committed one at a
    /// time. The attendance service now rings the doorbell itself after commit (FeedDoorbell); any
    /// other writer sends <c>NOTIFY attendance_records</c> after its commit, or is read by the feed's
    /// safety poll.
    /// </summary>
    public partial class FeedDoorbellOutsideWrites : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER attendance_records_notify ON attendance_records;
                DROP FUNCTION attendance_records_notify();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION attendance_records_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_notify('attendance_records', '');
                  RETURN NULL;
                END $$;

                CREATE TRIGGER attendance_records_notify AFTER INSERT ON attendance_records
                  FOR EACH STATEMENT EXECUTE FUNCTION attendance_records_notify();
                """);
        }
    }
}
