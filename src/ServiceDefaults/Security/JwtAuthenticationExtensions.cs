using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AttendanceSystem.ServiceDefaults.Security;

public static class JwtAuthenticationExtensions
{
    /// <summary>
    /// JWT bearer validation shared by all services: signature (HS256 only), issuer, audience and
    /// lifetime with a small skew. Every 401/403 is written as problem details saying what was wrong.
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
        services.AddSingleton<TokenValidationParametersFactory>();
        services.AddSingleton<JwtTokenValidator>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenValidationParametersFactory>((bearer, parameters) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = parameters.Create();
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = RefuseDeactivatedAsync,
                    OnChallenge = WriteChallengeAsync,
                    OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                        "Forbidden", "Your role does not allow this."),
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return builder;
    }

    private static async Task RefuseDeactivatedAsync(TokenValidatedContext context)
    {
        var status = context.HttpContext.RequestServices.GetService<IAccountStatus>();
        var employeeId = context.Principal?.GetEmployeeId() ?? 0;
        if (status is not null && employeeId > 0 && !await status.IsActiveAsync(employeeId, context.HttpContext.RequestAborted))
        {
            context.Fail(new AccountDeactivatedException());
        }
    }

    private static Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        return WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            DescribeFailure(context.AuthenticateFailure));
    }

    /// <summary>Says why a token was refused, without echoing the token.</summary>
    public static string DescribeFailure(Exception? failure) => failure switch
    {
        null => "A bearer token is required: send `Authorization: Bearer <token>` (get one from POST /login).",
        SecurityTokenExpiredException => "The token has expired; log in again.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token was issued for another audience.",
        SecurityTokenInvalidIssuerException => "The token was issued by an unknown issuer.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The token's signature is invalid.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenMalformedException => "The token is malformed.",
        AccountDeactivatedException => "This account has been deactivated.",
        _ => "The token is invalid.",
    };

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>Builds the one set of validation rules, so gRPC and WebSocket checks match REST exactly.</summary>
public sealed class TokenValidationParametersFactory(IOptions<JwtOptions> options)
{
    private TokenValidationParameters? _parameters;

    public TokenValidationParameters Create() => _parameters ??= Build();

    private TokenValidationParameters Build()
    {
        var jwt = options.Value;
        return new TokenValidationParameters
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
    }
}
