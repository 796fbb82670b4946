using System.Text.Json;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults;

namespace AttendanceSystem.Reporter.Relay;

/// <summary>The JSON text frames of DESIGN.md, serialised once and shared by every receiver.</summary>
public static class Frames
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public static byte[] Hello(int employeeId, string role, string cursor) =>
        JsonSerializer.SerializeToUtf8Bytes(new HelloFrame("hello", employeeId, role, cursor), Json);

    public static byte[] Record(AttendanceRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(new RecordFrame("record", record.Cursor, new RecordBody(
            record.Id, record.EmployeeId, record.Username, record.Action, record.Timestamp)), Json);

    public static byte[] Resync(string reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new ResyncFrame("resync", reason), Json);

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions();
        ServiceDefaultsExtensions.ConfigureJson(json);
        return json;
    }

    private sealed record HelloFrame(string Type, int EmployeeId, string Role, string Cursor);

    private sealed record RecordFrame(string Type, string Cursor, RecordBody Record);

    private sealed record RecordBody(long Id, int EmployeeId, string Username, string Action, string Timestamp);

    private sealed record ResyncFrame(string Type, string Reason);
}
