using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>
/// Times on the wire are UTC ISO 8601 with milliseconds and a <c>Z</c> (2026-11-23T08:59:12.345Z).
/// Incoming times must carry a zone (Z or ±hh:mm): a bare local time is ambiguous and refused.
/// </summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        UtcTime.TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException("Expected an ISO 8601 time with a zone, e.g. 2026-11-23T08:59:12.345Z.");

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(UtcTime.Format(value));
}

public static class UtcTime
{
    private const string WireFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).ToString(WireFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 time that names its zone; the result is UTC.</summary>
    public static bool TryParse(string? text, out DateTime value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length > 40 || !HasZone(text))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || text.IndexOf('T', StringComparison.OrdinalIgnoreCase) < 0)
        {
            return false;
        }

        value = parsed.UtcDateTime;
        return true;
    }

    /// <summary>Milliseconds are what the wire carries, so stored times are cut to them too.</summary>
    public static DateTime TruncateToMilliseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    private static bool HasZone(string text) =>
        text.EndsWith('Z') || text.EndsWith('z')
        || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
