using System.ComponentModel.DataAnnotations;
using AttendanceSystem.ServiceDefaults.Http;
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

    /// <summary>A non-admin's punch dated further back than this becomes a pending correction (202), not a record.</summary>
    [ConfigurationKeyName("PUNCH_BACKDATE_MINUTES")]
    [Range(0, 3660 * 24 * 60)]
    public int BackdateMinutes { get; set; } = 10;

    /// <summary>
    /// How old a punch captured offline (source "offline", queued on the device) may be and still
    /// be recorded as a punch (its day flagged for review); an older one follows the backdating rule.
    /// </summary>
    [ConfigurationKeyName("PUNCH_OFFLINE_HOURS")]
    [Range(0, 24 * 31)]
    public int OfflineHours { get; set; } = 12;

    /// <summary>Comma-separated addresses or CIDR networks punches (also kiosk punches) may come from; empty: anywhere.</summary>
    [ConfigurationKeyName("PUNCH_ALLOWED_NETWORKS")]
    public string AllowedNetworks { get; set; } = "";

    /// <summary>How far back a correction may add a record.</summary>
    [ConfigurationKeyName("CORRECTION_MAX_DAYS")]
    [Range(1, 3660)]
    public int CorrectionMaxDays { get; set; } = 31;

    /// <summary>An "in" open longer than this is closed automatically (a forgotten check-out).</summary>
    [ConfigurationKeyName("MAX_OPEN_HOURS")]
    [Range(1, 24 * 14)]
    public int MaxOpenHours { get; set; } = 16;

    /// <summary>Without a schedule, the automatic "out" goes this long after the "in".</summary>
    [ConfigurationKeyName("AUTO_CLOSE_WORKED_HOURS")]
    [Range(0, 24 * 14)]
    public int AutoCloseWorkedHours { get; set; } = 8;

    /// <summary>How often one replica looks for forgotten check-outs.</summary>
    [ConfigurationKeyName("AUTO_CLOSE_EVERY_SECONDS")]
    [Range(1, 60)]
    public int AutoCloseEverySeconds { get; set; } = 30;

    /// <summary>Records buffered per live subscriber; one that falls further behind is cut off and must resume.</summary>
    [ConfigurationKeyName("FEED_SUBSCRIBER_BUFFER")]
    [Range(16, 1_000_000)]
    public int SubscriberBuffer { get; set; } = 4096;

    /// <summary>
    /// How long a quiet live feed waits before reading the table anyway: the delay for records written
    /// by something that rang no doorbell (NOTIFY attendance_records after its commit).
    /// </summary>
    [ConfigurationKeyName("FEED_SAFETY_POLL_MS")]
    [Range(50, 3_600_000)]
    public int SafetyPollMilliseconds { get; set; } = 1000;

    /// <summary>Longest date range a summary or export may cover.</summary>
    [ConfigurationKeyName("REPORT_MAX_DAYS")]
    [Range(1, 3660)]
    public int ReportMaxDays { get; set; } = 366;
}

internal sealed class AttendanceOptionsValidator : IValidateOptions<AttendanceOptions>
{
    public ValidateOptionsResult Validate(string? name, AttendanceOptions options) =>
        IpNetworks.Validate(options.AllowedNetworks, "PUNCH_ALLOWED_NETWORKS", nameof(options.AllowedNetworks)).FirstOrDefault() is { } badNetwork
            ? ValidateOptionsResult.Fail(badNetwork.ErrorMessage!)
            : !TimeZoneInfo.TryFindSystemTimeZoneById(options.BusinessTimeZone, out _)
            ? ValidateOptionsResult.Fail($"BUSINESS_TIME_ZONE '{options.BusinessTimeZone}' is not a known IANA time zone (e.g. UTC, Europe/Berlin).")
            : options.AutoCloseWorkedHours > options.MaxOpenHours
                ? ValidateOptionsResult.Fail("AUTO_CLOSE_WORKED_HOURS must not exceed MAX_OPEN_HOURS (an automatic out goes in the past).")
                : ValidateOptionsResult.Success;
}
