using System.Text.Json;

// A small static host for the browser page. The services' addresses come from settings and reach
// the page as /config.js, so they change without a rebuild.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();
var app = builder.Build();

var config = JsonSerializer.Serialize(new
{
    authUrl = app.Configuration["CLIENT_AUTH_URL"] ?? "",
    attendanceUrl = app.Configuration["CLIENT_ATTENDANCE_URL"] ?? "",
    reporterUrl = app.Configuration["CLIENT_REPORTER_URL"] ?? "",
});

app.Use(async (context, next) =>
{
    var headers = context.Response.Headers;
    headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self' http: https: ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
    headers.XContentTypeOptions = "nosniff";
    headers["Referrer-Policy"] = "no-referrer";
    await next(context);
});
app.MapGet("/config.js", () => Results.Text($"window.ATTENDANCE_CONFIG = {config};\n", "text/javascript"));
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
app.UseDefaultFiles();
app.UseStaticFiles();
app.Run();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
