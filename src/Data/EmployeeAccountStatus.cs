using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AttendanceSystem.Data;

/// <summary>
/// Reads <c>employees.active</c>, remembering each answer for a few seconds so a busy caller costs
/// the database one query per employee per interval. An unknown employee counts as inactive.
/// </summary>
internal sealed class EmployeeAccountStatus(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options) : IAccountStatus, IDisposable
{
    private readonly MemoryCache _answers = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async ValueTask<bool> IsActiveAsync(int employeeId, CancellationToken cancellationToken)
    {
        if (_answers.TryGetValue(employeeId, out bool active))
        {
            return active;
        }

        await using var command = dataSource.CreateCommand("SELECT active FROM employees WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = employeeId });
        active = await command.ExecuteScalarAsync(cancellationToken) is true;
        if (options.Value.AccountStatusCacheSeconds > 0)
        {
            _answers.Set(employeeId, active, new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(options.Value.AccountStatusCacheSeconds),
                Size = 1,
            });
        }

        return active;
    }

    public void Dispose() => _answers.Dispose();
}
