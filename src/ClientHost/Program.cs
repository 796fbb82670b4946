using AttendanceSystem.ClientHost;
using AttendanceSystem.ServiceDefaults;

// The page's host: client/ as static files, /config.js from settings, and the services behind one origin.
var builder = WebApplication.CreateBuilder(args);
builder.AddClientHostServices();

var app = builder.Build();
app.MapClientHost();

return await app.RunServiceAsync();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
