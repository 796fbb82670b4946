using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.Attendance;

public sealed class AttendanceOptions
{
    /// <summary>IANA zone in which business days start and end (e.g. Europe/Berlin, Asia/Tehran).</summary>
    [ConfigurationKeyName("BUSINESS_TIME_ZONE")]
    [Required]
    public string BusinessTimeZone { get; set; } = "UTC";

    /// <summary>How far in the future a client's timestamp may be (clocks drift).</summary>
    [ConfigurationKeyName("PUNCH_FUTURE_SKEW_SECONDS")]
    [Range(0, 3600)]
    public int FutureSkewSeconds { get; set; } = 120;

    /// <summary>How far back a client may date a punch.</summary>
    [ConfigurationKeyName("PUNCH_MAX_BACKDATE_DAYS")]
    [Range(0, 3660)]
    public int MaxBackdateDays { get; set; } = 31;

    /// <summary>Records buffered per live subscriber; one that falls further behind is cut off and must resume.</summary>
    [ConfigurationKeyName("FEED_SUBSCRIBER_BUFFER")]
    [Range(16, 1_000_000)]
    public int SubscriberBuffer { get; set; } = 4096;

    /// <summary>Longest date range a summary or export may cover.</summary>
    [ConfigurationKeyName("REPORT_MAX_DAYS")]
    [Range(1, 3660)]
    public int ReportMaxDays { get; set; } = 366;
}

internal sealed class AttendanceOptionsValidator : IValidateOptions<AttendanceOptions>
{
    public ValidateOptionsResult Validate(string? name, AttendanceOptions options) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(options.BusinessTimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"BUSINESS_TIME_ZONE '{options.BusinessTimeZone}' is not a known IANA time zone (e.g. UTC, Europe/Berlin).");
}
