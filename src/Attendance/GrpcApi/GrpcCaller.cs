using System.Security.Claims;
using AttendanceSystem.ServiceDefaults.Security;
using Grpc.Core;

namespace AttendanceSystem.Attendance.GrpcApi;

/// <summary>Who is calling a gRPC method: the token from the <c>jwt</c> field, else from <c>authorization: Bearer</c> metadata.</summary>
public sealed class GrpcCaller(JwtTokenValidator validator)
{
    public async Task<ClaimsPrincipal> AuthenticateAsync(string jwtField, ServerCallContext context)
    {
        var token = string.IsNullOrWhiteSpace(jwtField) ? BearerToken.FromHeader(context.RequestHeaders.GetValue("authorization")) : jwtField.Trim();
        var (user, failure) = await validator.ValidateAsync(token);
        return user ?? throw new RpcException(new Status(StatusCode.Unauthenticated,
            token is null ? "A token is required: set the jwt field or send `authorization: Bearer <token>`." : failure));
    }

    /// <summary>
    /// The employee whose records the call is about. 0 means "me" for people; someone else's id
    /// needs admin (or the reporter's service token).
    /// </summary>
    public static int ResolveEmployee(ClaimsPrincipal user, int requested, bool zeroMeansEveryone)
    {
        if (requested < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "employee_id must be 0 (me) or a positive id."));
        }

        var me = user.GetEmployeeId();
        if (requested == 0)
        {
            if (user.SeesEveryone() && zeroMeansEveryone)
            {
                return 0;
            }

            return me != 0
                ? me
                : throw new RpcException(new Status(StatusCode.InvalidArgument, "This token belongs to no employee: give an employee_id."));
        }

        return user.MayReadRecordsOf(requested)
            ? requested
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "Only an admin may read another employee's records."));
    }
}
