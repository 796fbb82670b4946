using Microsoft.Playwright;

namespace AttendanceSystem.EndToEnd.Tests;

/// <summary>
/// The page's calls to one API, watched from before sign-in: whether any is still in flight, and
/// which were made since <see cref="WaitUntilQuietAsync"/>. Playwright's NetworkIdle cannot tell
/// this for a single-page app: it was reached once, before sign-in, and stays reached.
/// </summary>
public sealed class ApiTraffic
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly List<string> _made = [];
    private int _inFlight;
    private DateTime _lastActivity = DateTime.UtcNow;

    public ApiTraffic(IPage page, string path)
    {
        _path = path;
        page.Request += (_, request) => Change(request, +1);
        page.RequestFinished += (_, request) => Change(request, -1);
        page.RequestFailed += (_, request) => Change(request, -1);
    }

    /// <summary>The calls started since the last quiet moment, as "METHOD url".</summary>
    public IReadOnlyList<string> MadeSinceQuiet
    {
        get
        {
            lock (_gate)
            {
                return [.. _made];
            }
        }
    }

    /// <summary>Waits until no call has been in flight for <paramref name="quiet"/>, then starts a fresh list.</summary>
    public async Task WaitUntilQuietAsync(TimeSpan quiet)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            lock (_gate)
            {
                if (_inFlight == 0 && DateTime.UtcNow - _lastActivity >= quiet)
                {
                    _made.Clear();
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the page kept calling {_path}: {string.Join(", ", MadeSinceQuiet)}");
            }

            await Task.Delay(50);
        }
    }

    private void Change(IRequest request, int delta)
    {
        if (!request.Url.Contains(_path, StringComparison.Ordinal))
        {
            return;
        }

        lock (_gate)
        {
            _inFlight += delta;
            _lastActivity = DateTime.UtcNow;
            if (delta > 0)
            {
                _made.Add($"{request.Method} {request.Url}");
            }
        }
    }
}
