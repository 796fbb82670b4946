using System.Net.Http.Json;
using AttendanceSystem.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AttendanceSystem.Auth.Tests;

/// <summary>The auth service on real Kestrel with its own database; an admin is seeded from configuration.</summary>
public class AuthApp : ServiceApp<Program>
{
    public AuthApp()
    {
    }

    private AuthApp(TestDatabase database) : base(database)
    {
    }

    /// <summary>Another instance on the same database, as a second replica would be.</summary>
    public static AuthApp SharingDatabase(TestDatabase database) => new(database);

    public const string AdminUsername = "boss";
    public const string AdminPassword = "boss-password-123";
    public const int WorkFactor = 11;
    public const int MaxFailuresPerUsername = 3;

    protected override string DatabasePrefix => "auth";

    protected override IDictionary<string, string?> Settings(string connectionString)
    {
        var settings = base.Settings(connectionString);
        settings["BCRYPT_WORK_FACTOR"] = WorkFactor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["LOGIN_MAX_FAILURES_PER_USERNAME"] = MaxFailuresPerUsername.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Every test request comes from 127.0.0.1: keep the per-address limit out of the way here.
        settings["LOGIN_MAX_FAILURES_PER_ADDRESS"] = "10000";
        settings["ADMIN_USERNAME"] = AdminUsername;
        settings["ADMIN_PASSWORD"] = AdminPassword;
        Adjust(settings);
        return settings;
    }

    /// <summary>Lets a variant change settings for its own test class.</summary>
    protected virtual void Adjust(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Each test starts from an empty database holding only the seeded admin.</summary>
    public async Task ResetAsync()
    {
        await Database.ResetAsync();
        await Database.ScalarAsync<object>(
            "INSERT INTO employees (username, password_hash, role) VALUES ($1, $2, 'admin')",
            AdminUsername, BCrypt.Net.BCrypt.EnhancedHashPassword(AdminPassword, WorkFactor, BCrypt.Net.HashType.SHA384));
    }
}

public static class HttpJson
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, HttpAssertions.Json);
}
