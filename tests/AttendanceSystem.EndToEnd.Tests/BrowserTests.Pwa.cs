using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AttendanceSystem.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AttendanceSystem.EndToEnd.Tests;

/// <summary>The kiosk, the installable offline page, the Solar Hijri calendar and accessibility, in a real browser.</summary>
public sealed partial class BrowserTests
{
    private static readonly string AxeSource = File.ReadAllText(
        Path.Combine(RepositoryRoot.Path, "tests", "AttendanceSystem.EndToEnd.Tests", "node_modules", "axe-core", "axe.min.js"));

    /// <summary>axe-core on the screen as it is: no serious or critical violation of WCAG 2.1 A/AA.</summary>
    private static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof axe === 'object'"))
        {
            await page.EvaluateAsync(AxeSource);
        }

        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }))
              .violations.filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)
            """);
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"{screen}: {string.Join("; ", found)}");
    }

    private async Task<string> SignInAsync(HttpClient http, string username, string password)
    {
        using var login = await http.PostAsJsonAsync(system.AuthUrl + "/login", new { username, password });
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    /// <summary>A registered employee with a full name and a kiosk PIN, and a kiosk token from the admin.</summary>
    private async Task<(string Username, string KioskToken, int KioskId, string AdminToken)> KioskWithPersonAsync(string pin)
    {
        using var http = new HttpClient();
        var username = NewUsername();
        int id;
        using (var registered = await http.PostAsJsonAsync(system.AuthUrl + "/register", new { username, password = "correct-horse" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
            id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("employee_id").GetInt32();
        }

        var token = await SignInAsync(http, username, "correct-horse");
        using (var named = await SendAsync(http, HttpMethod.Patch, $"{system.AuthUrl}/employees/{id}", token, new { full_name = "Sara Karimi" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, named.StatusCode);
        }

        using (var setPin = await SendAsync(http, HttpMethod.Put, system.AttendanceUrl + "/me/pin", token, new { current_password = "correct-horse", pin }))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, setPin.StatusCode);
        }

        var admin = await SignInAsync(http, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        using var kiosk = await SendAsync(http, HttpMethod.Post, system.AttendanceUrl + "/kiosks", admin, new { name = "Front door" });
        var body = await kiosk.Content.ReadFromJsonAsync<JsonElement>();
        return (username, body.GetProperty("token").GetString()!, body.GetProperty("id").GetInt32(), admin);
    }

    [Fact]
    public async Task At_the_kiosk_a_person_punches_with_name_and_pin_and_sees_a_three_second_confirmation()
    {
        var (username, kioskToken, kioskId, admin) = await KioskWithPersonAsync("2580");
        var page = await system.OpenPageAsync(new ViewportSize { Width = 1024, Height = 768 });
        await page.GotoAsync($"{system.ClientOrigin}/kiosk.html#token={Uri.EscapeDataString(kioskToken)}");

        // The token leaves the address bar at once; the kiosk knows its name.
        await Expect(page.Locator("#kiosk-name")).ToHaveTextAsync("Front door");
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#clock-time")).Not.ToBeEmptyAsync();
        await AssertAccessibleAsync(page, "kiosk");
        await ScreenshotAsync(page, "20-kiosk-idle");

        // Keyboard for the name, the on-screen pad for the PIN (a wrong one first).
        await page.Locator("#kiosk-username").FillAsync(username);
        foreach (var digit in "1111")
        {
            await page.Locator($"#pin-pad button[data-digit='{digit}']").ClickAsync();
        }

        await page.Locator("#kiosk-submit").ClickAsync();
        await Expect(page.Locator("#kiosk-error")).ToHaveTextAsync("Wrong username or PIN. Try again.");
        foreach (var digit in "2580")
        {
            await page.Locator($"#pin-pad button[data-digit='{digit}']").ClickAsync();
        }

        await Expect(page.Locator("#kiosk-pin")).ToHaveValueAsync("2580");
        await ScreenshotAsync(page, "21-kiosk-pin");
        await page.Locator("#kiosk-pin").PressAsync("Enter");

        await Expect(page.Locator("#confirmation")).ToBeVisibleAsync();
        await Expect(page.Locator("#confirm-text")).ToContainTextAsync("Sara Karimi: in at");
        await AssertAccessibleAsync(page, "kiosk confirmation");
        await ScreenshotAsync(page, "22-kiosk-confirmation");
        var shownAt = DateTime.UtcNow;
        await Expect(page.Locator("#confirmation")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        Assert.True(DateTime.UtcNow - shownAt > TimeSpan.FromSeconds(2), "the confirmation stays about three seconds");
        await Expect(page.Locator("#kiosk-username")).ToHaveValueAsync("");
        await Expect(page.Locator("#kiosk-pin")).ToHaveValueAsync("");

        // Typed on the keyboard in Persian digits: the same PIN; no action given: out.
        await page.Locator("#kiosk-username").FillAsync(username);
        await page.Locator("#kiosk-pin").FillAsync("۲۵۸۰");
        await page.Locator("#kiosk-submit").ClickAsync();
        await Expect(page.Locator("#confirm-text")).ToContainTextAsync("Sara Karimi: out at");
        await page.Locator("#confirmation").ClickAsync();

        // Revoked by the admin: the kiosk says so plainly instead of asking for PINs.
        using var http = new HttpClient();
        using (var revoked = await SendAsync(http, HttpMethod.Delete, $"{system.AttendanceUrl}/kiosks/{kioskId}", admin))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await page.Locator("#kiosk-username").FillAsync(username);
        await page.Locator("#kiosk-pin").FillAsync("2580");
        await page.Locator("#kiosk-submit").ClickAsync();
        await Expect(page.Locator("#kiosk-status")).ToHaveTextAsync("This kiosk has been revoked. Ask an admin to register it again.");
        await Expect(page.Locator("#punch-form")).ToBeHiddenAsync();

        // In Persian the kiosk is right to left, its clock in Persian digits.
        await page.Locator("#language").SelectOptionAsync("fa");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.Locator("#kiosk-status")).ToContainTextAsync("لغو شده");
        Assert.Matches("[۰-۹]", await page.Locator("#clock-time").TextContentAsync() ?? "");
        await page.Locator("#language").SelectOptionAsync("en");
    }

    [Fact]
    public async Task A_punch_made_offline_waits_on_the_device_survives_closing_the_tab_and_is_sent_once_when_back_online()
    {
        var page = await system.OpenPageAsync();
        var username = NewUsername();
        await RegisterAsync(page, username);
        await Expect(page.Locator("#live")).ToContainTextAsync("Live");
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");

        await page.Context.SetOfflineAsync(true);
        await Expect(page.Locator("#live")).ToContainTextAsync("Offline");
        await page.Locator("#punch").ClickAsync();
        await Expect(page.Locator("#today li.waiting")).ToContainTextAsync("waiting to send");
        await Expect(page.Locator("#punch")).ToHaveTextAsync("Punch out");
        await ScreenshotAsync(page, "23-offline-waiting");

        // The tab is closed while offline; the page opens again offline from its cached shell.
        await page.CloseAsync();
        var again = await page.Context.NewPageAsync();
        await again.GotoAsync(system.PageUrl);
        await Expect(again.Locator("#auth-form")).ToBeVisibleAsync();

        // Back online and signed in again (the refresh cookie): the waiting punch goes out, once.
        await again.Context.SetOfflineAsync(false);
        await again.ReloadAsync();
        await Expect(again.Locator("#who")).ToContainTextAsync(username);
        await Expect(again.Locator("#today li:not(.waiting)")).ToHaveCountAsync(1);
        await Expect(again.Locator("#today li.waiting")).ToHaveCountAsync(0);
        await again.ReloadAsync();
        await Expect(again.Locator("#who")).ToContainTextAsync(username);
        await Expect(again.Locator("#today li")).ToHaveCountAsync(1);

        var stored = await system.Database.ScalarAsync<string>(
            "SELECT string_agg(r.source || ':' || r.action, ',') FROM attendance_records r JOIN employees e ON e.id = r.employee_id WHERE e.username = $1", username);
        Assert.Equal("offline:in", stored);
        Assert.Equal(1L, await system.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log a JOIN employees e ON e.id = a.employee_id WHERE e.username = $1 AND a.action = 'punch.offline'", username));
        Assert.Equal(0, await again.EvaluateAsync<int>("""
            () => new Promise(resolve => { const open = indexedDB.open("attendance"); open.onsuccess = () => {
              const request = open.result.transaction("outbox").objectStore("outbox").count(); request.onsuccess = () => resolve(request.result); }; })
            """));
    }

    [Fact]
    public async Task The_service_worker_keeps_the_shell_never_an_api_answer_and_an_update_takes_effect_on_the_next_load()
    {
        var copy = Directory.CreateTempSubdirectory("attendance-page-").FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "client"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Path.Combine(RepositoryRoot.Path, "client"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var (origin, host) = system.StartPageHost(copy);
        try
        {
            var context = await system.Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(origin + "/index.html");
            await RegisterAsync(page, NewUsername());
            await page.EvaluateAsync("() => navigator.serviceWorker.ready");
            var firstCache = await page.EvaluateAsync<string[]>("() => caches.keys()");
            var shell = Assert.Single(firstCache, key => key.StartsWith("attendance-shell-", StringComparison.Ordinal));
            var cached = await page.EvaluateAsync<string[]>($"async () => (await (await caches.open('{shell}')).keys()).map(r => new URL(r.url).pathname)");
            Assert.Contains("/index.html", cached);
            Assert.Contains("/js/main.js", cached);
            Assert.Contains("/icons/icon-512.png", cached);
            Assert.DoesNotContain(cached, path => path.StartsWith("/api/", StringComparison.Ordinal));

            // The installable parts: a manifest with both icon sizes, and a favicon.
            using var http = new HttpClient();
            var manifest = JsonDocument.Parse(await http.GetStringAsync(origin + "/manifest.webmanifest")).RootElement;
            var sizes = manifest.GetProperty("icons").EnumerateArray().Select(i => i.GetProperty("sizes").GetString()).ToList();
            Assert.Contains("192x192", sizes);
            Assert.Contains("512x512", sizes);

            // An API answer always comes from the network, also with the worker in charge.
            await page.Locator("#punch").ClickAsync();
            await Expect(page.Locator("#today li")).ToHaveCountAsync(1);
            await page.ReloadAsync();
            await Expect(page.Locator("#today li")).ToHaveCountAsync(1);

            // A new version of the page: the next load installs it, the one after shows it, and the old shell is gone.
            File.WriteAllText(Path.Combine(copy, "index.html"),
                File.ReadAllText(Path.Combine(copy, "index.html")).Replace("<title>", "<meta name=\"page-version\" content=\"2\">\n  <title>", StringComparison.Ordinal));
            Assert.Contains("page-version", await http.GetStringAsync(origin + "/index.html"), StringComparison.Ordinal);
            await page.ReloadAsync();
            var replaced = false;
            for (var waited = 0; waited < 100 && !replaced; waited++)
            {
                await Task.Delay(100);
                var keys = await page.EvaluateAsync<string[]>("() => caches.keys()");
                replaced = keys.Length == 1 && keys[0] != shell;
            }

            Assert.True(replaced, "the new version's shell replaces the old one after a load");
            await page.ReloadAsync();
            await Expect(page.Locator("#who")).Not.ToBeEmptyAsync();
            Assert.Equal("2", await page.EvaluateAsync<string?>("() => document.querySelector('meta[name=page-version]')?.content ?? null"));

            // With the network gone the page still opens, from the worker's shell.
            await context.SetOfflineAsync(true);
            await page.ReloadAsync();
            await Expect(page.Locator("#auth-form")).ToBeAttachedAsync();
            await context.CloseAsync();
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Every_screen_passes_axe_and_the_persian_month_is_a_solar_hijri_month()
    {
        var login = await system.OpenPageAsync();
        await AssertAccessibleAsync(login, "login");

        var employee = await system.OpenPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await RegisterAsync(employee, NewUsername());
        await employee.Locator("#punch").ClickAsync();
        await Expect(employee.Locator("#today li")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(employee, "employee");

        await employee.GetByLabel("Language").SelectOptionAsync("fa");
        await AssertAccessibleAsync(employee, "employee (Persian)");
        await employee.Locator("#my-month").ClickAsync();
        // Azar 1405 is 22 November – 21 December 2026: today's Solar Hijri month, days in Persian digits, weeks from Saturday.
        var persianMonth = await employee.Locator("#month-pick").InputValueAsync();
        Assert.Matches("^14[0-9]{2}-(0[1-9]|1[0-2])$", persianMonth);
        await employee.Locator("#month-pick").FillAsync("۱۴۰۵-۰۹");
        await Expect(employee.Locator("#month-pick")).ToHaveValueAsync("1405-09");
        await employee.Locator("#month-form button[type=submit]").ClickAsync();
        await Expect(employee.Locator("#month-grid td[data-date]")).ToHaveCountAsync(30);
        await Expect(employee.Locator("#month-grid td[data-date]").First).ToHaveAttributeAsync("data-date", "2026-11-22");
        await Expect(employee.Locator("#month-grid td[data-date]").First.Locator(".day-number")).ToHaveTextAsync("۱");
        await Expect(employee.Locator("#month-grid thead th").First).ToHaveTextAsync("ش");
        await AssertAccessibleAsync(employee, "month (Persian)");
        await ScreenshotAsync(employee, "24-persian-month-phone");
        await employee.Locator("#month-close").ClickAsync();

        var admin = await system.OpenPageAsync();
        await LogInAsync(admin, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        await Expect(admin.Locator("#who")).ToContainTextAsync("admin");
        await Expect(admin.Locator("#live")).ToContainTextAsync("Live");
        // The admin page holds the board, the inbox, the report, people, teams, schedules, kiosks and the audit log.
        await AssertAccessibleAsync(admin, "admin board, inbox, reports, people, kiosks");
        await admin.Locator("#kiosk-name").FillAsync("Lobby");
        await admin.Locator("#kiosk-form").GetByRole(AriaRole.Button, new() { Name = "Register kiosk" }).ClickAsync();
        await Expect(admin.Locator("#kiosk-link")).ToContainTextAsync("/kiosk.html#token=kiosk_");
        await Expect(admin.Locator("#kiosks")).ToContainTextAsync("Lobby");
        await AssertAccessibleAsync(admin, "kiosks with a new token");

        await admin.GetByLabel("Language").SelectOptionAsync("fa");
        await Expect(admin.Locator("#report-calendar")).ToHaveValueAsync("persian");
        await AssertAccessibleAsync(admin, "admin (Persian)");
        await admin.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(admin, "25-persian-admin-phone");
    }
}
