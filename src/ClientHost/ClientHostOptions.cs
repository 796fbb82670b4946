using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.ClientHost;

/// <summary>Where the proxy sends the page's calls, and (optionally) other addresses the page should use instead.</summary>
public sealed class ClientHostOptions
{
    [ConfigurationKeyName("PROXY_AUTH_URL")]
    [Url(ErrorMessage = "PROXY_AUTH_URL must be an absolute http(s) URL, e.g. http://auth:8001.")]
    public string AuthUrl { get; set; } = "http://127.0.0.1:8001";

    [ConfigurationKeyName("PROXY_ATTENDANCE_URL")]
    [Url(ErrorMessage = "PROXY_ATTENDANCE_URL must be an absolute http(s) URL, e.g. http://attendance:8002.")]
    public string AttendanceUrl { get; set; } = "http://127.0.0.1:8002";

    [ConfigurationKeyName("PROXY_REPORTER_URL")]
    [Url(ErrorMessage = "PROXY_REPORTER_URL must be an absolute http(s) URL, e.g. http://reporter:8103.")]
    public string ReporterUrl { get; set; } = "http://127.0.0.1:8103";

    /// <summary>Empty (the default): the page calls this host's /api/auth, /api/attendance and /ws.</summary>
    [ConfigurationKeyName("CLIENT_AUTH_URL")]
    public string PageAuthUrl { get; set; } = "";

    [ConfigurationKeyName("CLIENT_ATTENDANCE_URL")]
    public string PageAttendanceUrl { get; set; } = "";

    [ConfigurationKeyName("CLIENT_REPORTER_URL")]
    public string PageReporterUrl { get; set; } = "";
}
