var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/health/ready", () => TypedResults.Ok());
app.Run();
