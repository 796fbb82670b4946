using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace AttendanceSystem.Auth.Apis;

/// <summary>
/// A person's photo: put by themselves or an admin (JPEG, PNG or WebP up to 1 MiB, the type read from
/// the bytes, not taken from the header), served with an ETag to any signed-in user, removed again.
/// </summary>
public static class PhotosApi
{
    public static IEndpointRouteBuilder MapPhotosApi(this IEndpointRouteBuilder app)
    {
        var photo = app.MapGroup("/employees/{id}/photo").RequireAuthorization();
        photo.MapPut("/", PutAsync)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Set a photo (self or admin): the body is the image, JPEG, PNG or WebP, at most 1 MiB.");
        photo.MapGet("/", GetAsync)
            .WithSummary("The photo, with an ETag (If-None-Match: 304); 404 when there is none.");
        photo.MapDelete("/", DeleteAsync)
            .WithSummary("Remove the photo (self or admin).");
        return app;
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> PutAsync(
        int id, HttpContext http, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (Refuse(id, user) is { } refused)
        {
            return refused;
        }

        // Photos may be larger than other bodies: read to one byte more than allowed to notice more. The
        // request may carry twice that, so a somewhat large photo is read to its end and its sender gets
        // the 413 below (a server that stops reading mid-upload leaves the client a broken pipe instead).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = 2L * EmployeePhoto.MaxBytes;
        }

        var bytes = await ReadUpToAsync(http.Request.Body, EmployeePhoto.MaxBytes + 1, cancellationToken);
        if (bytes.Length > EmployeePhoto.MaxBytes)
        {
            await http.Request.Body.CopyToAsync(Stream.Null, cancellationToken);
            return TypedResults.Problem($"A photo may be at most {EmployeePhoto.MaxBytes} bytes (1 MiB).",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large");
        }

        if (ImageType(bytes) is not { } contentType)
        {
            return TypedResults.Problem("The body is not a JPEG, PNG or WebP image (its first bytes say so, whatever the Content-Type).",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type");
        }

        if (!await db.Employees.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return Problems.NotFound($"There is no employee with id {id}.");
        }

        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes)) + "\"";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO employee_photos (employee_id, content_type, bytes, etag, updated_at) VALUES ({id}, {contentType}, {bytes}, {etag}, now())
            ON CONFLICT (employee_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, etag = excluded.etag, updated_at = now()
            """, cancellationToken);
        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.PhotoChanged, id,
            new { ContentType = contentType, Bytes = bytes.Length, ETag = etag }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ValidationProblem, ProblemHttpResult>> GetAsync(
        int id, HttpContext http, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive employee id.");
        }

        var photo = await db.EmployeePhotos.AsNoTracking().SingleOrDefaultAsync(p => p.EmployeeId == id, cancellationToken);
        if (photo is null)
        {
            return Problems.NotFound($"Employee {id} has no photo.");
        }

        http.Response.Headers.CacheControl = "private, no-cache";
        return http.Request.Headers.IfNoneMatch.Contains(photo.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.File(photo.Bytes, photo.ContentType, entityTag: EntityTagHeaderValue.Parse(photo.ETag),
                lastModified: new DateTimeOffset(photo.UpdatedAt, TimeSpan.Zero));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        int id, ClaimsPrincipal user, AttendanceDbContext db, CancellationToken cancellationToken)
    {
        if (Refuse(id, user) is { } refused)
        {
            return refused;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.EmployeePhotos.Where(p => p.EmployeeId == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return Problems.NotFound($"Employee {id} has no photo.");
        }

        await db.Database.WriteAsync(new AuditEvent(user.GetEmployeeId(), AuditActions.PhotoChanged, id, new { Removed = true }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Results<NoContent, ValidationProblem, ProblemHttpResult>? Refuse(int id, ClaimsPrincipal user)
    {
        if (id <= 0)
        {
            return Problems.Invalid("id", "id must be a positive employee id.");
        }

        if (id != user.GetEmployeeId() && user.GetRole() != Roles.Admin)
        {
            return Problems.Forbidden("You may change your own photo only; an admin changes anyone's.");
        }

        return null;
    }

    /// <summary>The image type its first bytes announce: JPEG (FF D8 FF), PNG (its 8-byte signature), WebP (RIFF….WEBP).</summary>
    private static string? ImageType(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;

    private static async Task<byte[]> ReadUpToAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < max && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
