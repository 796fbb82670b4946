using System.Net;
using System.Net.WebSockets;
using AttendanceSystem.Protos;
using Grpc.Core;

namespace AttendanceSystem.Reliability.Tests;

/// <summary>One way of asking the system something, and what it answered.</summary>
public static class Probes
{
    /// <summary>An HTTP status, or for gRPC the status code's name, or for WebSocket the handshake's status.</summary>
    public static async Task<string> HttpAsync(HttpClient client, HttpMethod method, string path, string? token, object? body = null,
        Action<HttpRequestMessage>? adjust = null)
    {
        using var request = RunningSystem.Request(method, path, token, body);
        adjust?.Invoke(request);
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        // Kestrel itself answers malformed HTTP (431: headers too large) before any middleware runs.
        if (status >= 400 && status != 431)
        {
            Assert.True("application/problem+json" == response.Content.Headers.ContentType?.MediaType,
                $"{method} {path}: {status} without problem details: {await response.Content.ReadAsStringAsync()}");
            var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"{method} {path}: no detail");
        }

        return status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON (or not) body sent byte for byte.</summary>
    public static HttpContent Raw(string text) => new StringContent(text, System.Text.Encoding.UTF8, "application/json");

    public static HttpContent RawBytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    public static async Task<string> ListAsync(RunningSystem system, ListRequest request, Metadata? headers = null)
    {
        try
        {
            using var call = system.Grpc.List(request, headers);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }

            return "OK";
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString();
        }
    }

    /// <summary>The header an accepted StreamNew starts with (attendance's AttendanceGrpcService).</summary>
    private const string FeedStartHeader = "x-feed-start";

    public static async Task<string> StreamNewAsync(RunningSystem system, StreamRequest request)
    {
        // The server accepts a stream by sending its headers (the feed's start) and refuses one with a
        // status: wait for whichever it says, not for a timer that a busy machine can outlast.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            using var call = system.Grpc.StreamNew(request, cancellationToken: timeout.Token);
            var headers = await call.ResponseHeadersAsync;
            if (headers.Get(FeedStartHeader) is not null)
            {
                return "OK";
            }

            // A refusal comes as headers and a status at once: reading the stream raises it.
            await call.ResponseStream.MoveNext(CancellationToken.None);
            return "OK";
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString();
        }
    }

    public static async Task<string> SocketAsync(RunningSystem system, string query, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new Uri(system.Socket + query), timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            return "101";
        }
        catch (WebSocketException)
        {
            return ((int)socket.HttpStatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static bool IsServerError(string answer) =>
        answer.StartsWith('5') || answer is "Internal" or "Unknown" or "DataLoss";

    public static HttpStatusCode Status(string answer) => (HttpStatusCode)int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture);
}
