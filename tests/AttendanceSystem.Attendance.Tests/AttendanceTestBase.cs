namespace AttendanceSystem.Attendance.Tests;

/// <summary>Per test: an empty database and a REST client, on the default attendance app.</summary>
public abstract class AttendanceTestBase(AttendanceApp app) : AttendanceTestBase<AttendanceApp>(app);

/// <summary>Per test: an empty database and a REST client, on a variant app (its own settings).</summary>
public abstract class AttendanceTestBase<TApp>(TApp app) : IClassFixture<TApp>, IAsyncLifetime where TApp : AttendanceApp
{
    protected TApp App { get; } = app;

    protected HttpClient Client { get; } = app.CreateClient();

    public Task InitializeAsync() => App.ResetAsync();

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }

    protected static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    protected Task<List<string>> StoredActionsAsync(int employeeId) => App.Database.ScalarAsync<string[]>(
        "SELECT coalesce(array_agg(action ORDER BY timestamp, id), '{}') FROM attendance_records WHERE employee_id = $1", employeeId)
        .ContinueWith(t => (t.Result ?? []).ToList(), TaskScheduler.Default);
}
