using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace AttendanceSystem.ServiceDefaults.Security;

/// <summary>
/// Endpoint metadata: where an endpoint's callers put their token when they cannot send an
/// <c>Authorization</c> header (a browser's WebSocket, grpcurl's <c>jwt</c> field). The one JwtBearer
/// scheme asks it first, so every channel is validated by the same handler and the same rules.
/// </summary>
public interface IBearerTokenSource
{
    /// <summary>What a caller without a token is told to send.</summary>
    string Hint { get; }

    ValueTask<string?> ReadAsync(HttpContext context);
}

/// <summary>The token in a query parameter, e.g. <c>/ws?token=…</c>.</summary>
public sealed class QueryTokenSource(string name) : IBearerTokenSource
{
    public string Hint => $"A token is required: add `?{name}=<token>` (get one from POST /login).";

    public ValueTask<string?> ReadAsync(HttpContext context) =>
        ValueTask.FromResult<string?>(context.Request.Query[name] is { Count: 1 } values && !string.IsNullOrWhiteSpace(values[0])
            ? values[0]!.Trim()
            : null);
}

public static class BearerTokenSourceExtensions
{
    /// <summary>Lets callers of these endpoints send their token as <c>?{name}=</c>.</summary>
    public static TBuilder AcceptTokenFromQuery<TBuilder>(this TBuilder builder, string name)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryTokenSource(name));

    /// <summary>When the validated token of this request stops being accepted (for channels that outlive the request).</summary>
    public static DateTimeOffset GetTokenExpiry(this HttpContext context) =>
        context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc ?? DateTimeOffset.MaxValue;
}
