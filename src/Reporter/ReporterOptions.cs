using System.ComponentModel.DataAnnotations;

namespace AttendanceSystem.Reporter;

public sealed class ReporterOptions
{
    /// <summary>Where attendance's gRPC endpoint is (the live feed comes from its StreamNew).</summary>
    [ConfigurationKeyName("ATTENDANCE_GRPC_URL")]
    [Required]
    [Url]
    public string AttendanceGrpcUrl { get; set; } = "http://localhost:50051";

    /// <summary>How many recent records a reconnecting client can catch up on.</summary>
    [ConfigurationKeyName("REPLAY_WINDOW_COUNT")]
    [Range(0, 10_000_000)]
    public int ReplayWindowCount { get; set; } = 50_000;

    /// <summary>How old a record may be and still be replayed.</summary>
    [ConfigurationKeyName("REPLAY_WINDOW_SECONDS")]
    [Range(1, 7 * 24 * 3600)]
    public int ReplayWindowSeconds { get; set; } = 3600;

    /// <summary>Frames queued per client; a client further behind is closed with 1013.</summary>
    [ConfigurationKeyName("WS_CLIENT_QUEUE")]
    [Range(1, 1_000_000)]
    public int ClientQueue { get; set; } = 1024;

    /// <summary>Seconds between keep-alive pings; a peer that does not answer within as long again is dropped.</summary>
    [ConfigurationKeyName("WS_KEEPALIVE_SECONDS")]
    [Range(1, 3600)]
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>Lifetime of the service token the reporter mints for itself.</summary>
    [ConfigurationKeyName("SERVICE_TOKEN_MINUTES")]
    [Range(1, 60)]
    public int ServiceTokenMinutes { get; set; } = 5;
}
