using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>
/// Completes every problem the framework writes on its own (validation, 404, 405, 413, 415, …)
/// with a human-readable detail and the correlation id, so no error answer is ever bare.
/// </summary>
internal static class ProblemDefaults
{
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["correlation_id"] = context.HttpContext.TraceIdentifier;
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            return;
        }

        problem.Detail = problem switch
        {
            HttpValidationProblemDetails { Errors.Count: > 0 } validation =>
                string.Join(" ", validation.Errors.SelectMany(error => error.Value)),
            _ => problem.Status switch
            {
                StatusCodes.Status400BadRequest => "The request is not valid.",
                StatusCodes.Status401Unauthorized => "A valid bearer token is required.",
                StatusCodes.Status403Forbidden => "Your role does not allow this.",
                StatusCodes.Status404NotFound => $"There is nothing at {context.HttpContext.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}.",
                StatusCodes.Status413PayloadTooLarge => $"The request body is larger than the limit of {BodyLimit(context.HttpContext)} bytes.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with `Content-Type: application/json`.",
                StatusCodes.Status429TooManyRequests => "Too many requests; slow down.",
                StatusCodes.Status503ServiceUnavailable => "The service is temporarily unavailable; try again shortly.",
                _ => problem.Title ?? "The request failed.",
            },
        };
    }

    private static long BodyLimit(HttpContext context) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize
        ?? context.RequestServices.GetRequiredService<IOptions<ServiceHttpOptions>>().Value.RequestBodyLimitBytes;
}
