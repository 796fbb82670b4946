using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AttendanceSystem.Bench.Load;

/// <summary>A punch the service accepted, and when its response arrived (Stopwatch ticks).</summary>
public sealed record AcceptedPunch(long RecordId, int EmployeeId, long RespondedAt);

/// <summary>
/// Punches at a steady rate whatever the responses do (an open loop, like people arriving), each
/// by the next employee in turn, alternating in/out per employee.
/// </summary>
public sealed class PacedPuncher(Uri rest, IReadOnlyList<(int EmployeeId, string Token)> employees, IReadOnlyDictionary<int, string> nextActions) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = rest };
    private readonly Dictionary<int, string> _next = new(nextActions);
    private int _failed;

    public int Failed => _failed;

    public async Task<List<AcceptedPunch>> RunAsync(int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / (double)perSecond;
        var started = Stopwatch.GetTimestamp();
        var inFlight = new List<Task<AcceptedPunch?>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = started + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var (employeeId, token) = employees[i % employees.Count];
            string action;
            lock (_next)
            {
                action = _next[employeeId];
                _next[employeeId] = action == "in" ? "out" : "in";
            }

            inFlight.Add(PunchAsync(employeeId, token, action, cancellationToken));
        }

        var accepted = await Task.WhenAll(inFlight);
        return accepted.OfType<AcceptedPunch>().ToList();
    }

    private async Task<AcceptedPunch?> PunchAsync(int employeeId, string token, string action, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/attendance")
        {
            Content = new StringContent($$"""{"action":"{{action}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var respondedAt = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Interlocked.Increment(ref _failed);
                return null;
            }

            using var record = JsonDocument.Parse(body);
            return new AcceptedPunch(record.RootElement.GetProperty("id").GetInt64(), employeeId, respondedAt);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failed);
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
