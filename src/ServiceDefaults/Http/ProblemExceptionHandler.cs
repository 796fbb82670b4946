using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>
/// Turns every exception that escapes an endpoint into RFC 9457 problem details: bad requests
/// (malformed JSON, wrong types, unbindable query values, oversized bodies) keep their 4xx status
/// and say what was wrong; an unreachable database is a 503; anything else is a 500 without internals.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to read an answer.
            return true;
        }

        var (status, title, detail) = Describe(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Request failed with {StatusCode}", status);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "2";
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static (int Status, string Title, string Detail) Describe(Exception exception)
    {
        if (exception is BadHttpRequestException bad)
        {
            return (bad.StatusCode, ReasonPhrase(bad.StatusCode), DescribeBadRequest(bad));
        }

        if (DatabaseFailures.IsUnavailable(exception))
        {
            return (StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "The database is not reachable right now; try again shortly.");
        }

        // The endpoints check names and references first; this is the rare loser of a race with a
        // simultaneous change (the same new name, a row deleted meanwhile), which the keys decided.
        if (Innermost<System.Data.Common.DbException>(exception) is { SqlState: "23505" or "23503" })
        {
            return (StatusCodes.Status409Conflict, "Conflict",
                "Another change made at the same moment conflicts with this one; read the current state and try again.");
        }

        return (StatusCodes.Status500InternalServerError, "Internal Server Error",
            "Something went wrong on our side; the error has been logged.");
    }

    private static T? Innermost<T>(Exception exception) where T : Exception
    {
        T? found = null;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            found = e as T ?? found;
        }

        return found;
    }

    private static string DescribeBadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return bad.Message;
        }

        return bad.InnerException switch
        {
            JsonException { Path: { } path } json when json.Message.Contains("could not be converted", StringComparison.Ordinal) =>
                $"The request body is not valid: the JSON value at '{path}' has the wrong type or format.",
            JsonException { Path: { } path } json when json.Message.Contains("could not be mapped", StringComparison.Ordinal) =>
                $"The request body is not valid: the JSON field '{path}' is not a known field.",
            JsonException { Path: { } path } => $"The request body is not valid JSON (at '{path}').",
            JsonException => "The request body is not valid JSON.",
            BadHttpRequestException inner => DescribeBadRequest(inner),
            _ => bad.Message,
        };
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad Request";
}
