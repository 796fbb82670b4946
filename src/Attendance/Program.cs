using AttendanceSystem.Attendance;
using AttendanceSystem.Attendance.Apis;
using AttendanceSystem.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("attendance");
builder.AddAttendanceServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapAttendanceApi().MapCorrectionsApi().MapSchedulesApi().MapPeriodsApi().MapReportsApi().MapNotificationsApi().MapAuditApi()
    .MapKiosksApi();
app.MapAttendanceGrpc();

return await app.RunServiceAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
