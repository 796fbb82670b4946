using System.Net.WebSockets;

// The framework's floor: nothing but a readiness answer and the least a WebSocket endpoint can be
// (say hello, then wait for the close), so the bench can tell what ASP.NET Core itself costs per
// process and per open socket from what the services add.
var app = WebApplication.CreateBuilder(args).Build();
app.UseWebSockets();
app.MapGet("/health/ready", () => TypedResults.Ok());
app.Map("/ws", async (HttpContext context) =>
{
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await socket.SendAsync("""{"type":"hello"}"""u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    var buffer = new byte[64];
    while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
    {
    }

    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
});
app.Run();
