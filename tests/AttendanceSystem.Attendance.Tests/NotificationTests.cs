using System.Net;
using System.Text.Json;
using AttendanceSystem.Testing;

namespace AttendanceSystem.Attendance.Tests;

/// <summary>A person's notifications over REST: unread count, reading one, reading all; nobody reads another's.</summary>
public sealed class NotificationTests(AttendanceApp app) : AttendanceTestBase(app)
{
    private async Task<JsonElement> GetAsync(Person who, string path)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, path, who.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Approvers_are_notified_of_requests_and_mark_them_read()
    {
        var emp = await App.CreatePersonAsync("emp2");
        var admin = await App.CreatePersonAsync("boss", "admin");
        var admin2 = await App.CreatePersonAsync("boss2", "admin");
        for (var i = 1; i <= 3; i++)
        {
            using var punch = await Client.PunchAsync(emp, i % 2 == 1 ? "in" : "out", Iso(DateTime.UtcNow.AddHours(-10 + i)));
            Assert.Equal(HttpStatusCode.Accepted, punch.StatusCode);
        }

        var list = (await GetAsync(admin, "/notifications")).EnumerateArray().ToList();
        var firstId = list[^1].GetProperty("id").GetInt64();
        using var readOne = await Client.SendAsync(HttpMethod.Post, $"/notifications/{firstId}/read", admin.Token);
        var unreadAfterOne = await GetAsync(admin, "/notifications?unread=true");
        using var notYours = await Client.SendAsync(HttpMethod.Post, $"/notifications/{firstId}/read", emp.Token);
        using var readAll = await Client.SendAsync(HttpMethod.Post, "/notifications/read-all", admin.Token);
        var count = await GetAsync(admin, "/notifications/unread-count");
        var page = (await GetAsync(admin, $"/notifications?limit=1&after={list[0].GetProperty("id").GetInt64()}")).EnumerateArray().ToList();

        Assert.Equal(3, list.Count);
        Assert.All(list, n => Assert.Equal("correction_requested", n.GetProperty("kind").GetString()));
        Assert.True(list[0].GetProperty("id").GetInt64() > list[1].GetProperty("id").GetInt64());
        Assert.All(list, n => Assert.True(n.GetProperty("correction_id").GetInt64() > 0));
        Assert.Equal(HttpStatusCode.NoContent, readOne.StatusCode);
        Assert.Equal(2, unreadAfterOne.GetArrayLength());
        await notYours.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, readAll.StatusCode);
        Assert.Equal(0, count.GetProperty("unread").GetInt32());
        Assert.Equal(list[1].GetProperty("id").GetInt64(), Assert.Single(page).GetProperty("id").GetInt64());
        Assert.Equal(3, (await GetAsync(admin2, "/notifications/unread-count")).GetProperty("unread").GetInt32());
        Assert.Empty((await GetAsync(emp, "/notifications")).EnumerateArray());
    }

    [Theory]
    [InlineData("/notifications?limit=0")]
    [InlineData("/notifications?after=-1")]
    [InlineData("/notifications?unread=maybe")]
    public async Task Bad_queries_are_400(string path)
    {
        var emp = await App.CreatePersonAsync("emp2");
        using var response = await Client.SendAsync(HttpMethod.Get, path, emp.Token);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
