using Microsoft.Extensions.Hosting;
using AttendanceSystem.Data;

// Runs the same migrator the services run at start-up (locked, so racing it is harmless), then exits.
var builder = Host.CreateApplicationBuilder(args);
builder.AddAttendanceDatabase();
using var host = builder.Build();
await host.StartAsync();
await host.StopAsync();
