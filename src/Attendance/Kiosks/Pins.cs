using System.Text.RegularExpressions;

namespace AttendanceSystem.Attendance.Kiosks;

/// <summary>The PIN rule: 4–8 digits. Persian (۰–۹) and Arabic-Indic (٠–٩) digits count as the same digits.</summary>
public static partial class Pins
{
    public const string Rule = "pin must be 4–8 digits.";

    public static bool TryNormalize(string? pin, out string normalized)
    {
        normalized = new string((pin ?? "").Select(c => c switch
        {
            >= '\u06F0' and <= '\u06F9' => (char)('0' + (c - '\u06F0')),
            >= '\u0660' and <= '\u0669' => (char)('0' + (c - '\u0660')),
            _ => c,
        }).ToArray());
        return PinPattern().IsMatch(normalized);
    }

    [GeneratedRegex("^[0-9]{4,8}$")]
    private static partial Regex PinPattern();
}
