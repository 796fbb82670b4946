using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Auth.Services;

/// <summary>The profile fields' rules: trimmed, "" clears, a full name up to 100 characters, an email that parses as one address.</summary>
public static class ProfileFields
{
    public static bool TryNormalize(string? fullName, string? email, out string? normalizedName, out string? normalizedEmail, out ValidationProblem? problem)
    {
        normalizedName = string.IsNullOrWhiteSpace(fullName) ? null : fullName.Trim();
        normalizedEmail = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        problem = null;
        if (normalizedName is { Length: > ProfileRules.MaxFullName } || (normalizedName?.Any(char.IsControl) ?? false))
        {
            problem = Problems.Invalid("full_name", $"full_name must be at most {ProfileRules.MaxFullName} characters, without control characters.");
        }
        else if (normalizedEmail is not null && (normalizedEmail.Length > ProfileRules.MaxEmail
            || !MailAddress.TryCreate(normalizedEmail, out var parsed) || parsed.Address != normalizedEmail || parsed.DisplayName.Length > 0))
        {
            problem = Problems.Invalid("email", "email must be one address like name@example.org.");
        }

        return problem is null;
    }
}

/// <summary>Passwords an admin hands to a new person once: 16 characters from a crypto RNG, no look-alikes.</summary>
public static class InitialPasswords
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Generate() => System.Security.Cryptography.RandomNumberGenerator.GetString(Alphabet, 16);
}
