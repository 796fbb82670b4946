using System.Globalization;
using System.Text;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Punches;

namespace AttendanceSystem.Attendance.Reports;

/// <summary>The monthly report as a file: CSV or XLSX, the same columns as the JSON rows, in the same order.</summary>
public static class ReportFiles
{
    public static readonly string[] Columns =
    [
        "employee_id", "username", "full_name", "team", "days_present", "days_late", "days_absent", "worked_minutes",
        "late_minutes", "early_leave_minutes", "overtime_minutes", "open_days", "corrections",
    ];

    public static string FileName(MonthlyReportResponse report, string extension) =>
        $"attendance-report-{report.Month}{(report.Calendar == CalendarMonth.Persian ? "-persian" : "")}.{extension}";

    public static byte[] Csv(MonthlyReportResponse report)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns).Append("\r\n");
        foreach (var row in report.Rows)
        {
            csv.AppendJoin(',', Values(row).Select(Field)).Append("\r\n");
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
    }

    public static async Task<byte[]> XlsxAsync(MonthlyReportResponse report, CancellationToken cancellationToken)
    {
        var rows = report.Rows.Select(row => Columns.Zip(Values(row)).ToDictionary(c => c.First, c => c.Second));
        using var file = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(file, rows, sheetName: report.Month, cancellationToken: cancellationToken);
        return file.ToArray();
    }

    private static object?[] Values(MonthlyReportRow r) =>
    [
        r.EmployeeId, r.Username, r.FullName, r.Team, r.DaysPresent, r.DaysLate, r.DaysAbsent, r.WorkedMinutes,
        r.LateMinutes, r.EarlyLeaveMinutes, r.OvertimeMinutes, r.OpenDays, r.Corrections,
    ];

    /// <summary>RFC 4180 quoting; text that a spreadsheet would run as a formula is kept as text.</summary>
    private static string Field(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        if (value is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
