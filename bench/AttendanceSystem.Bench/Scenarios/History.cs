using System.Diagnostics;
using AttendanceSystem.Bench.Reporting;
using AttendanceSystem.Protos;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;

namespace AttendanceSystem.Bench.Scenarios;

/// <summary>A table with a long past: loading it, and reading one employee's share back over gRPC.</summary>
public static class History
{
    /// <summary>
    /// Writes the history in one transaction with the rule triggers off: it is consistent by
    /// construction (alternating, in the past, older than every live punch), and it carries an old
    /// transaction id, as records written long ago do, so the live feed rightly never sends it.
    /// </summary>
    public static async Task LoadAsync(BenchContext context)
    {
        var scale = context.Scale;
        var employees = context.System.Employees.ToArray();
        var perEmployee = (scale.HistoryRecords - scale.ListRecords) / employees.Length;
        BenchContext.Log($"History: loading {scale.HistoryRecords:N0} records ({scale.ListRecords:N0} for one employee, {perEmployee:N0} for each of {employees.Length:N0} others)");
        var started = Stopwatch.StartNew();
        await using var connection = context.System.OpenDatabase();
        await connection.OpenAsync(context.CancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(context.CancellationToken))
        {
            await using var load = new NpgsqlCommand("""
                ALTER TABLE attendance_records DISABLE TRIGGER USER;
                INSERT INTO attendance_records (employee_id, action, timestamp, source, tx_id)
                SELECT @historian, CASE WHEN g % 2 = 1 THEN 'in' ELSE 'out' END,
                       now() - interval '2 days' - make_interval(mins => @listed - g), 'punch', '3'::xid8
                FROM generate_series(1, @listed) g;
                INSERT INTO attendance_records (employee_id, action, timestamp, source, tx_id)
                SELECT e.id, CASE WHEN g % 2 = 1 THEN 'in' ELSE 'out' END,
                       now() - interval '2 days' - make_interval(hours => 8 * (@each - g)), 'punch', '3'::xid8
                FROM unnest(@employees) e(id) CROSS JOIN generate_series(1, @each) g;
                ALTER TABLE attendance_records ENABLE TRIGGER USER;
                """, connection, transaction)
            {
                CommandTimeout = 600,
                Parameters =
                {
                    new("historian", context.System.Historian),
                    new("listed", scale.ListRecords),
                    new("each", perEmployee),
                    new("employees", employees),
                },
            };
            await load.ExecuteNonQueryAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }

        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE attendance_records", connection) { CommandTimeout = 600 })
        {
            await vacuum.ExecuteNonQueryAsync(context.CancellationToken);
        }

        BenchContext.Log($"History: {await context.System.CountRecordsAsync(context.CancellationToken):N0} records in the table after {started.Elapsed.TotalSeconds:0} s");
    }

    public static async Task RunListAsync(BenchContext context)
    {
        var scale = context.Scale;
        var runs = context.Settings.Smoke ? 1 : 5;
        var result = context.Begin("gRPC List",
            $"List of one employee's {scale.ListRecords:N0} records (whole history, oldest first) by an admin over a fresh HTTP/2 channel, among {scale.HistoryRecords:N0} records; {runs} runs, median");
        var token = context.System.TokenFor(context.System.Admins[0], admin: true);
        var times = new List<double>();
        var counts = new List<int>();
        for (var run = 0; run < runs; run++)
        {
            using var channel = GrpcChannel.ForAddress(context.System.GrpcUri);
            var client = new AttendanceService.AttendanceServiceClient(channel);
            var clock = Stopwatch.StartNew();
            using var call = client.List(new ListRequest { EmployeeId = context.System.Historian, Jwt = token }, cancellationToken: context.CancellationToken);
            var count = 0;
            var previous = "";
            await foreach (var record in call.ResponseStream.ReadAllAsync(context.CancellationToken))
            {
                // Same ISO-8601 UTC format throughout, so text order is time order.
                if (string.CompareOrdinal(record.Timestamp, previous) < 0)
                {
                    throw new InvalidOperationException("List returned history out of order.");
                }

                previous = record.Timestamp;
                count++;
            }

            times.Add(clock.Elapsed.TotalSeconds);
            counts.Add(count);
        }

        times.Sort();
        var median = times[times.Count / 2];
        result.Figures["records"] = counts[0];
        result.Figures["median_s"] = Math.Round(median, 3);
        result.Figures["fastest_s"] = Math.Round(times[0], 3);
        result.Figures["records_per_s"] = Math.Round(counts[0] / median);
        result.Checks.Add(Check.AtMost($"List of {scale.ListRecords:N0} records", Math.Round(median, 3), "s", 1));
        result.Checks.Add(Check.None("Records missing from List", scale.ListRecords - counts.Min(), "records"));
    }
}
