using AttendanceSystem.Attendance.Contracts;
using AttendanceSystem.Data;
using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;

namespace AttendanceSystem.Attendance.Notifications;

/// <summary>A recipient's notifications: newest first, unread count, marking read.</summary>
public sealed class NotificationQueries(AttendanceDbContext db, TimeProvider time)
{
    /// <summary>Newest first; <paramref name="page"/>'s after is the last id seen (older ones follow).</summary>
    public Task<List<NotificationResponse>> ListAsync(int recipientId, bool unreadOnly, Page page, CancellationToken cancellationToken) =>
        db.Notifications.AsNoTracking()
            .Where(n => n.RecipientId == recipientId && (!unreadOnly || n.ReadAt == null) && (page.After == 0 || n.Id < page.After))
            .OrderByDescending(n => n.Id)
            .Take(page.Limit)
            .Select(n => new NotificationResponse(n.Id, n.Kind, n.Text, n.CorrectionId, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);

    public Task<int> UnreadAsync(int recipientId, CancellationToken cancellationToken) =>
        db.Notifications.CountAsync(n => n.RecipientId == recipientId && n.ReadAt == null, cancellationToken);

    /// <summary>False when the recipient has no such notification (someone else's is not theirs to read).</summary>
    public async Task<bool> MarkReadAsync(int recipientId, long id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var exists = await db.Notifications.AnyAsync(n => n.Id == id && n.RecipientId == recipientId, cancellationToken);
        if (exists)
        {
            await db.Notifications.Where(n => n.Id == id && n.RecipientId == recipientId && n.ReadAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(n => n.ReadAt, now), cancellationToken);
        }

        return exists;
    }

    public Task<int> MarkAllReadAsync(int recipientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Notifications.Where(n => n.RecipientId == recipientId && n.ReadAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.ReadAt, now), cancellationToken);
    }
}
