using System.Security.Claims;
using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Attendance.Notifications;
using AttendanceSystem.ServiceDefaults.Http;
using AttendanceSystem.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>The caller's own notifications (the reporter pushes new ones live; these are the record of them).</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/notifications").RequireAuthorization();
        notifications.MapGet("/", ListAsync)
            .WithSummary("The caller's notifications, newest first (unread=true, limit, after: the last id seen).");
        notifications.MapGet("/unread-count", UnreadAsync)
            .WithSummary("How many of the caller's notifications are unread (the page's bell).");
        notifications.MapPost("/{id}/read", ReadAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Mark one of the caller's notifications read.");
        notifications.MapPost("/read-all", ReadAllAsync)
            .WithSummary("Mark all of the caller's notifications read.");
        return app;
    }

    public static async Task<Results<Ok<List<NotificationResponse>>, ValidationProblem>> ListAsync(
        bool? unread, int? limit, long? after, ClaimsPrincipal user, HttpContext http, NotificationQueries queries,
        CancellationToken cancellationToken)
    {
        if (!Page.TryCreate(limit, after, out var page, out var problem))
        {
            return problem!;
        }

        var items = await queries.ListAsync(user.GetEmployeeId(), unread == true, page, cancellationToken);
        page.LinkNext(http.Response, items.Count, "/notifications", items.LastOrDefault()?.Id ?? 0, ("unread", unread == true ? "true" : null));
        return TypedResults.Ok(items);
    }

    public static async Task<Ok<UnreadCount>> UnreadAsync(ClaimsPrincipal user, NotificationQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(new UnreadCount(await queries.UnreadAsync(user.GetEmployeeId(), cancellationToken)));

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ReadAsync(
        long id, ClaimsPrincipal user, NotificationQueries queries, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive notification id.");
        }

        return await queries.MarkReadAsync(user.GetEmployeeId(), id, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"You have no notification {id}.");
    }

    public static async Task<NoContent> ReadAllAsync(ClaimsPrincipal user, NotificationQueries queries, CancellationToken cancellationToken)
    {
        await queries.MarkAllReadAsync(user.GetEmployeeId(), cancellationToken);
        return TypedResults.NoContent();
    }
}
