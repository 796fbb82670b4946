using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AttendanceSystem.Auth.Tests;

/// <summary>
/// Framework code asks for a logger per request (every authentication handler does); the services'
/// logger factory must hand out one per category, not build a new one, with its caches, each time.
/// </summary>
public sealed class LoggerFactoryTests(AuthApp app) : AuthTestBase(app)
{
    [Fact]
    public void One_logger_per_category_however_often_it_is_asked_for()
    {
        var factory = App.Services.GetRequiredService<ILoggerFactory>();

        var first = factory.CreateLogger("Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler");
        var second = factory.CreateLogger("Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler");

        Assert.Same(first, second);
        Assert.NotSame(first, factory.CreateLogger("Another.Category"));
        Assert.True(first.IsEnabled(LogLevel.Warning), "the cached logger still writes");
    }

    [Fact]
    public async Task Another_host_in_the_same_process_stopping_leaves_this_hosts_log_alone()
    {
        // Replicas in one test process, or a host stopped and started again: each keeps its own log.
        await using (var replica = AuthApp.SharingDatabase(App.Database))
        {
            await ((Xunit.IAsyncLifetime)replica).InitializeAsync();
        }

        var logger = App.Services.GetRequiredService<ILoggerFactory>().CreateLogger($"Category.{Guid.NewGuid():N}");
        Assert.True(logger.IsEnabled(LogLevel.Information), "this host's log was silenced when the other host stopped");
    }
}
