using System.Text.RegularExpressions;

namespace AttendanceSystem.Data.Rules;

/// <summary>The SQL files under <c>Sql/</c> (embedded in this assembly), with rule names replaced by their codes.</summary>
public static partial class SqlScripts
{
    public static string Load(string fileName)
    {
        using var stream = typeof(SqlScripts).Assembly.GetManifestResourceStream("Sql." + fileName)
            ?? throw new InvalidOperationException($"No SQL script named {fileName} is embedded.");
        using var reader = new StreamReader(stream);
        return RuleName().Replace(reader.ReadToEnd(), match =>
            PunchRule.All.FirstOrDefault(rule => rule.Name == match.Groups[1].Value) is { } rule
                ? $"'{rule.SqlState}'"
                : throw new InvalidOperationException($"{fileName} names an unknown rule :'{match.Groups[1].Value}'."));
    }

    [GeneratedRegex(@":'([a-z_]+)'")]
    private static partial Regex RuleName();
}
