using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Serilog.Context;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>
/// Carries an <c>X-Correlation-ID</c> through a request: taken from the caller when it is sane,
/// otherwise the trace id; echoed on the response and attached to every log line.
/// </summary>
public static class CorrelationId
{
    public const string HeaderName = "X-Correlation-ID";
    private const int MaxLength = 64;

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var id = FromHeader(context.Request.Headers[HeaderName].ToString())
            ?? Activity.Current?.TraceId.ToHexString()
            ?? context.TraceIdentifier;
        context.TraceIdentifier = id;
        // Set when the answer starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        using (LogContext.PushProperty("CorrelationId", id))
        {
            await next(context);
        }
    });

    private static string? FromHeader(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? value
            : null;
}
