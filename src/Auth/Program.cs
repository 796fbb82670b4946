using AttendanceSystem.Auth;
using AttendanceSystem.Auth.Apis;
using AttendanceSystem.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("auth");
builder.AddAuthServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapAuthApi();
app.MapEmployeesApi().MapPhotosApi().MapTeamsApi();

return await app.RunServiceAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
