namespace AttendanceSystem.Reliability.Tests;

/// <summary>
/// The suite's figures (cases tried, faults injected, records compared, lost, duplicated), written to
/// TestResults/reliability-figures.txt so scripts/test.sh can print them at the end.
/// </summary>
public static class Figures
{
    private static readonly Lock Gate = new();

    public static void Report(string line)
    {
        var path = Path.Combine(Testing.RepositoryRoot.Path, "TestResults", "reliability-figures.txt");
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}
