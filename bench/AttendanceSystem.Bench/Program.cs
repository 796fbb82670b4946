using System.Globalization;
using AttendanceSystem.Bench;

// scripts/bench.sh runs this after a Release build, against a private PostgreSQL cluster.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var settings = BenchSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

return await BenchRun.RunAsync(settings);
