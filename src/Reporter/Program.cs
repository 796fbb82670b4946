using AttendanceSystem.Reporter;
using AttendanceSystem.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("reporter");
builder.AddReporterServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapReporterApi();

return await app.RunServiceAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
