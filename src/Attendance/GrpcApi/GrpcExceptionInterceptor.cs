using AttendanceSystem.ServiceDefaults.Http;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AttendanceSystem.Attendance.GrpcApi;

/// <summary>Maps failures that are not already gRPC statuses: an unreachable database is UNAVAILABLE, a cancelled call CANCELLED, anything else INTERNAL without internals.</summary>
public sealed partial class GrpcExceptionInterceptor(ILogger<GrpcExceptionInterceptor> logger) : Interceptor
{
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    private RpcException Translate(Exception ex, ServerCallContext context)
    {
        if (context.CancellationToken.IsCancellationRequested && ex is OperationCanceledException)
        {
            return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        }

        if (DatabaseFailures.IsUnavailable(ex))
        {
            return new RpcException(new Status(StatusCode.Unavailable, "The database is not reachable right now; try again shortly."));
        }

        LogFailure(ex, context.Method);
        return new RpcException(new Status(StatusCode.Internal, "Something went wrong on our side; the error has been logged."));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC call {Method} failed")]
    private partial void LogFailure(Exception exception, string method);
}
