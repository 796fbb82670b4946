using System.Text.Json;
using AttendanceSystem.Data.Entities;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults;

namespace AttendanceSystem.Reporter.Relay;

/// <summary>The JSON text frames of DESIGN.md, serialised once and shared by every receiver.</summary>
public static class Frames
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public static byte[] Hello(int employeeId, string role, string cursor) =>
        JsonSerializer.SerializeToUtf8Bytes(new HelloFrame("hello", employeeId, role, cursor), Json);

    /// <summary>A message of the feed: a record, or a void that withdraws record <c>id</c>.</summary>
    public static byte[] For(AttendanceRecord message) => message.Kind == PunchKinds.Void
        ? JsonSerializer.SerializeToUtf8Bytes(new VoidFrame("void", message.Cursor, message.Id, message.EmployeeId, message.CorrectionId), Json)
        : JsonSerializer.SerializeToUtf8Bytes(new RecordFrame("record", message.Cursor, new RecordBody(
            message.Id, message.EmployeeId, message.Username, message.Action, message.Timestamp, message.Source)), Json);

    public static byte[] Notification(NotificationBody notification) =>
        JsonSerializer.SerializeToUtf8Bytes(new NotificationFrame("notification", notification), Json);

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

    private sealed record RecordBody(long Id, int EmployeeId, string Username, string Action, string Timestamp, string Source);

    private sealed record VoidFrame(string Type, string Cursor, long RecordId, int EmployeeId, long CorrectionId);

    private sealed record NotificationFrame(string Type, NotificationBody Notification);

    private sealed record ResyncFrame(string Type, string Reason);
}

/// <summary>A notification as its recipient's sockets get it (DESIGN.md: id, kind, text, correction_id, created_at).</summary>
public sealed record NotificationBody(long Id, string Kind, string Text, long? CorrectionId, string CreatedAt);
