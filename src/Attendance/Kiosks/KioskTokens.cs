using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AttendanceSystem.Attendance.Kiosks;

/// <summary>
/// A kiosk's credential: 32 random bytes, shown once and kept only as SHA-256 (like refresh
/// tokens). The "kiosk_" prefix tells it apart from a JWT in logs and in a support chat.
/// </summary>
public static class KioskTokens
{
    private const string Prefix = "kiosk_";
    private const int MaxLength = 100;

    public static string New() => Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The kiosk token in <c>Authorization: Bearer …</c>, or null when there is none that could be one.</summary>
    public static string? FromRequest(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.StartsWith(Prefix, StringComparison.Ordinal) && token.Length <= MaxLength ? token : null;
    }
}
