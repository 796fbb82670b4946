using AttendanceSystem.Data.Rules;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AttendanceSystem.Data.Migrations
{
    /// <summary>The punch rules, version 3: the same rules, a live punch that keeps them decided by one UPDATE (Sql/punch_rules.v3.sql).</summary>
    public partial class PunchRulesFastPath : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlScripts.Load("punch_rules.v3.sql"));
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlScripts.Load("punch_rules.v2.sql"));
        }
    }
}
