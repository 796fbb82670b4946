using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using AttendanceSystem.Protos;
using AttendanceSystem.ServiceDefaults.Security;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AttendanceSystem.Attendance.GrpcApi;

/// <summary>
/// The token in a request message's <c>jwt</c> field, the way DESIGN.md's grpcurl commands send it.
/// The JwtBearer handler runs before the method reads its message, so this peeks at the request's
/// one message frame without consuming it: the method then reads the same bytes as usual.
/// </summary>
public sealed class GrpcJwtField : IBearerTokenSource
{
    private const string FieldName = "jwt";
    private const int FrameHeaderLength = 5;

    // Path (/proto.AttendanceService/List) → the field of that method's request message.
    private static readonly FrozenDictionary<string, (MessageDescriptor Message, FieldDescriptor Field)> Fields =
        AttendanceService.Descriptor.Methods
            .Where(method => method.InputType.FindFieldByName(FieldName) is not null)
            .ToFrozenDictionary(
                method => $"/{AttendanceService.Descriptor.FullName}/{method.Name}",
                method => (method.InputType, method.InputType.FindFieldByName(FieldName)));

    private readonly int _maxMessageBytes;

    public GrpcJwtField(int maxMessageBytes) => _maxMessageBytes = maxMessageBytes;

    public string Hint => "A token is required: set the jwt field or send `authorization: Bearer <token>`.";

    public async ValueTask<string?> ReadAsync(HttpContext context)
    {
        if (!Fields.TryGetValue(context.Request.Path.Value ?? "", out var jwt))
        {
            return null;
        }

        var body = context.Request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            var (complete, frame) = Frame(buffer);
            if (complete || read.IsCompleted || read.IsCanceled)
            {
                var token = frame is { } message ? TokenIn(message, jwt.Message, jwt.Field) : null;
                // Nothing consumed: the method reads the whole request as if no one had looked.
                body.AdvanceTo(buffer.Start);
                return token;
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// The first message, once it is all there. Decided without a message for one this cannot read
    /// (compressed, or over the size limit: the method refuses it with its own status).
    /// </summary>
    private (bool Decided, ReadOnlySequence<byte>? Message) Frame(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < FrameHeaderLength)
        {
            return (false, null);
        }

        Span<byte> header = stackalloc byte[FrameHeaderLength];
        buffer.Slice(0, FrameHeaderLength).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (header[0] != 0 || length > _maxMessageBytes)
        {
            return (true, null);
        }

        return buffer.Length < FrameHeaderLength + length ? (false, null) : (true, buffer.Slice(FrameHeaderLength, length));
    }

    private static string? TokenIn(ReadOnlySequence<byte> message, MessageDescriptor type, FieldDescriptor field)
    {
        try
        {
            return field.Accessor.GetValue(type.Parser.ParseFrom(message)) is string { Length: > 0 } token ? token.Trim() : null;
        }
        catch (InvalidProtocolBufferException)
        {
            // Not a valid message: the method's own parsing will say so.
            return null;
        }
    }
}
