using System.Net;
using System.Net.Http.Headers;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Auth.Tests;

/// <summary>Photos: type read from the bytes, 1 MiB at most, served with an ETag, only their owner or an admin changes them.</summary>
public sealed class PhotoTests(AuthApp app) : AuthTestBase(app)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1];
    private static readonly byte[] Webp = [.. "RIFF"u8, 30, 0, 0, 0, .. "WEBPVP8 "u8, 1, 2];

    private static ByteArrayContent Image(byte[] bytes, string type = "image/png")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    [Fact]
    public async Task A_photo_is_put_served_with_an_etag_and_removed()
    {
        var (id, token) = await RegisterAsync("emp2");
        var (_, otherToken) = await RegisterAsync("emp3");

        using var put = await SendAsync(HttpMethod.Put, $"/employees/{id}/photo", token, Image(Png));
        using var get = await SendAsync(HttpMethod.Get, $"/employees/{id}/photo", otherToken);
        var etag = get.Headers.ETag;
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/employees/{id}/photo");
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", otherToken);
        again.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await Client.SendAsync(again);
        using var me = await SendAsync(HttpMethod.Get, $"/employees/{id}", token);
        using var delete = await SendAsync(HttpMethod.Delete, $"/employees/{id}/photo", token);
        using var gone = await SendAsync(HttpMethod.Get, $"/employees/{id}/photo", token);

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("image/png", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await get.Content.ReadAsByteArrayAsync());
        Assert.NotNull(etag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.True((await me.JsonAsync()).GetProperty("has_photo").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await AssertProblemAsync(gone, HttpStatusCode.NotFound);
        Assert.Equal(2, await App.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'employee.photo_changed'"));
    }

    [Fact]
    public async Task The_type_comes_from_the_bytes_and_size_and_owner_are_checked()
    {
        var (id, token) = await RegisterAsync("emp2");
        var (otherId, _) = await RegisterAsync("emp3");
        var admin = await AdminTokenAsync();

        using var jpeg = await SendAsync(HttpMethod.Put, $"/employees/{id}/photo", token, Image(Jpeg, "image/png"));
        using var jpegBack = await SendAsync(HttpMethod.Get, $"/employees/{id}/photo", token);
        using var webp = await SendAsync(HttpMethod.Put, $"/employees/{otherId}/photo", admin, Image(Webp, "image/webp"));
        using var text = await SendAsync(HttpMethod.Put, $"/employees/{id}/photo", token, Image("<svg onload=alert(1)>"u8.ToArray(), "image/png"));
        using var empty = await SendAsync(HttpMethod.Put, $"/employees/{id}/photo", token, Image([], "image/png"));
        using var large = await SendAsync(HttpMethod.Put, $"/employees/{id}/photo", token, Image([.. Png, .. new byte[1024 * 1024]]));
        using var someoneElses = await SendAsync(HttpMethod.Put, $"/employees/{otherId}/photo", token, Image(Png));
        using var none = await SendAsync(HttpMethod.Get, "/employees/987654/photo", token);

        Assert.Equal(HttpStatusCode.NoContent, jpeg.StatusCode);
        Assert.Equal("image/jpeg", jpegBack.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, webp.StatusCode);
        await AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(empty, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("bytes", await AssertProblemAsync(large, HttpStatusCode.RequestEntityTooLarge), StringComparison.Ordinal);
        await AssertProblemAsync(someoneElses, HttpStatusCode.Forbidden);
        await AssertProblemAsync(none, HttpStatusCode.NotFound);
        Assert.Equal(Jpeg, await App.Database.ScalarAsync<byte[]>("SELECT bytes FROM employee_photos WHERE employee_id = $1", id));
    }
}
