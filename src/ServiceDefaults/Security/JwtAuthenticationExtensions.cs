using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AttendanceSystem.ServiceDefaults.Security;

public static class JwtAuthenticationExtensions
{
    private const string HeaderHint = "A bearer token is required: send `Authorization: Bearer <token>` (get one from POST /login).";

    /// <summary>
    /// The one token path of every service and channel: the framework's JwtBearer handler checks
    /// signature (HS256 only), issuer, audience and lifetime with a small skew, then that the
    /// employee is still active. REST sends the token as a header; endpoints that accept it
    /// elsewhere say so with <see cref="IBearerTokenSource"/> metadata (the WebSocket's
    /// <c>?token=</c>, gRPC's <c>jwt</c> field). Refusals say what was wrong, as problem details
    /// (or, for gRPC, as UNAUTHENTICATED / PERMISSION_DENIED), never echoing the token.
    /// </summary>
    public static IHostApplicationBuilder AddJwtAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<JwtTokenIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = ValidationParameters(jwt.Value);
                bearer.Events = new JwtBearerEvents
                {
                    OnMessageReceived = ReadTokenFromEndpointSourceAsync,
                    OnTokenValidated = RefuseRevoked,
                    OnChallenge = WriteChallengeAsync,
                    OnForbidden = context => WriteRefusalAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                        "Forbidden", "Your role does not allow this."),
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.Supervisor, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Manager));
        return builder;
    }

    private static TokenValidationParameters ValidationParameters(JwtOptions jwt) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = jwt.Issuer,
        ValidateAudience = true,
        ValidAudience = jwt.Audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = new SymmetricSecurityKey(jwt.SecretBytes()),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds),
        NameClaimType = JwtClaims.Name,
        RoleClaimType = JwtClaims.Role,
    };

    /// <summary>An endpoint's own token source comes first; without one (or a token in it) the Authorization header counts.</summary>
    private static async Task ReadTokenFromEndpointSourceAsync(MessageReceivedContext context)
    {
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IBearerTokenSource>() is { } source
            && await source.ReadAsync(context.HttpContext) is { } token)
        {
            context.Token = token;
        }
    }

    /// <summary>The claims the services read; the rest of a validated token need not be kept.</summary>
    private static readonly string[] KeptClaims =
        [JwtClaims.Subject, JwtClaims.EmployeeId, JwtClaims.Name, JwtClaims.Role, JwtClaims.TokenId, JwtClaims.IssuedAt, JwtClaims.IssuedAtMs, JwtClaims.Session];

    /// <summary>
    /// The one revocation check (answered from memory, see <see cref="ITokenRevocations"/>): a validly
    /// signed token of an ended session, or issued before its employee's password or role changed or
    /// the account was deactivated, is refused. Also records when the token expires, for channels
    /// that outlive the request (a WebSocket), and keeps a slim caller: the framework holds the
    /// result for the request's life, which for a socket is hours, and the validated identity with
    /// its parsed token comes to kilobytes.
    /// </summary>
    private static Task RefuseRevoked(TokenValidatedContext context)
    {
        context.Properties.ExpiresUtc = context.SecurityToken.ValidTo is var expires && expires > DateTime.MinValue
            ? new DateTimeOffset(expires, TimeSpan.Zero)
            : null;
        if (context.Principal?.Identity is ClaimsIdentity validated)
        {
            context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                validated.Claims.Where(claim => KeptClaims.Contains(claim.Type)).Select(claim => new Claim(claim.Type, claim.Value)),
                validated.AuthenticationType, JwtClaims.Name, JwtClaims.Role));
        }

        if (context.Principal is { } user
            && context.HttpContext.RequestServices.GetService<ITokenRevocations>()?.RevokedBecause(user) is { } reason)
        {
            context.Fail(new TokenRevokedException(reason));
        }

        return Task.CompletedTask;
    }

    private static Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        var hint = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IBearerTokenSource>()?.Hint ?? HeaderHint;
        return WriteRefusalAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            DescribeFailure(context.AuthenticateFailure, hint));
    }

    /// <summary>Says why a token was refused, without echoing the token.</summary>
    private static string DescribeFailure(Exception? failure, string hint) => failure switch
    {
        null => hint,
        SecurityTokenExpiredException => "The token has expired; log in again.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token was issued for another audience.",
        SecurityTokenInvalidIssuerException => "The token was issued by an unknown issuer.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The token's signature is invalid.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenMalformedException => "The token is malformed.",
        TokenRevokedException revoked => $"This token has been revoked ({revoked.Reason}); sign in again.",
        _ => "The token is invalid.",
    };

    private static async Task WriteRefusalAsync(HttpContext context, int status, string title, string detail)
    {
        if (GrpcRefusal.IsGrpc(context.Request))
        {
            GrpcRefusal.Write(context.Response, status, detail);
            return;
        }

        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>
/// A gRPC call refused before it reached its method answers the gRPC way: a trailers-only response
/// with <c>grpc-status</c> (UNAUTHENTICATED or PERMISSION_DENIED) and a readable <c>grpc-message</c>,
/// which grpcurl and every gRPC client show as such (an HTTP 401 would read as a broken server).
/// </summary>
internal static class GrpcRefusal
{
    private const int PermissionDenied = 7;
    private const int Unauthenticated = 16;

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static void Write(HttpResponse response, int httpStatus, string detail)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = (httpStatus == StatusCodes.Status403Forbidden ? PermissionDenied : Unauthenticated)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(detail);
    }
}
