using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AttendanceSystem.EndToEnd.Tests;

/// <summary>What a person does on the page, in a real browser against the real services.</summary>
public sealed partial class BrowserTests(WholeSystem system) : IClassFixture<WholeSystem>
{
    private static string NewUsername() => "emp-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task RegisterAsync(IPage page, string username, string password = "correct-horse")
    {
        await page.GetByRole(AriaRole.Tab, new() { Name = "Register" }).ClickAsync();
        await page.Locator("#auth-form").GetByLabel("Username").FillAsync(username);
        await page.Locator("#auth-form").GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page.Locator("#who")).ToContainTextAsync(username);
    }

    private static async Task LogInAsync(IPage page, string username, string password)
    {
        await page.Locator("#auth-form").GetByLabel("Username").FillAsync(username);
        await page.Locator("#auth-form").GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
    }

    /// <summary>The page's user signs in on another device (curl) and punches there.</summary>
    private async Task PunchElsewhereAsync(string username, string action)
    {
        using var http = new HttpClient();
        using var login = await http.PostAsJsonAsync(system.AuthUrl + "/login", new { username, password = "correct-horse" });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, system.AttendanceUrl + "/attendance") { Content = JsonContent.Create(new { action }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(WholeSystem.ScreenshotDirectory, name + ".png"), FullPage = true });

    [Fact]
    public async Task A_new_user_registers_punches_in_sees_it_live_and_punches_out()
    {
        var page = await system.OpenPageAsync();
        await ScreenshotAsync(page, "01-login");
        var username = NewUsername();

        await RegisterAsync(page, username);
        await Expect(page.Locator("#who")).ToContainTextAsync("employee");
        await Expect(page.Locator("#live")).ToContainTextAsync("Live");
        var punch = page.Locator("#punch");
        await Expect(punch).ToHaveTextAsync("Punch in");

        await punch.ClickAsync();
        await Expect(page.Locator("#today li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#today li").First).ToContainTextAsync("in");
        await Expect(punch).ToHaveTextAsync("Punch out");
        await Expect(page.Locator("#last-punch")).ToContainTextAsync("Last punch: in");

        // A punch from elsewhere (another device, curl) appears here live, without a reload.
        await PunchElsewhereAsync(username, "out");

        await Expect(page.Locator("#today li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#today li").First).ToContainTextAsync("out");
        await Expect(punch).ToHaveTextAsync("Punch in");

        await punch.ClickAsync();
        await Expect(page.Locator("#today li")).ToHaveCountAsync(3);
        await punch.ClickAsync();
        await Expect(page.Locator("#today li")).ToHaveCountAsync(4);
        await Expect(page.Locator("#week .day")).ToHaveCountAsync(7);
        await ScreenshotAsync(page, "02-employee");
    }

    [Fact]
    public async Task An_admin_watches_an_employees_punch_arrive_live_and_presence_change()
    {
        var admin = await system.OpenPageAsync();
        var attendanceCalls = new ApiTraffic(admin, "/api/attendance/");
        await LogInAsync(admin, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        await Expect(admin.Locator("#who")).ToContainTextAsync("admin");
        await Expect(admin.Locator("#live")).ToContainTextAsync("Live");
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Who is in now" })).ToBeVisibleAsync();
        await Expect(admin.Locator("#export-to")).Not.ToHaveValueAsync(""); // the page has loaded what it shows
        // Every screen's first load done (schedules, holidays, audit… come after the board); from here on, count.
        await attendanceCalls.WaitUntilQuietAsync(TimeSpan.FromSeconds(1));

        var employee = await system.OpenPageAsync();
        var username = NewUsername();
        await RegisterAsync(employee, username);
        await Expect(employee.Locator("#live")).ToContainTextAsync("Live");
        await employee.Locator("#punch").ClickAsync();

        await Expect(admin.Locator("#feed li").First).ToContainTextAsync(username);
        await Expect(admin.Locator("#presence")).ToContainTextAsync(username);
        await ScreenshotAsync(admin, "03-admin");

        await employee.Locator("#punch").ClickAsync();
        await Expect(admin.Locator("#feed li").First).ToContainTextAsync("out");
        await Expect(admin.Locator("#presence")).Not.ToContainTextAsync(username);
        Assert.Empty(attendanceCalls.MadeSinceQuiet); // presence followed the frames: an open admin page costs the API nothing per punch
    }

    [Fact]
    public async Task After_a_reporter_outage_the_page_reconnects_and_shows_what_happened_meanwhile()
    {
        var page = await system.OpenPageAsync();
        var username = NewUsername();
        await RegisterAsync(page, username);
        await Expect(page.Locator("#live")).ToContainTextAsync("Live");

        await system.StopReporterAsync();
        await Expect(page.Locator("#live")).ToContainTextAsync("Reconnecting");
        await page.Locator("#punch").ClickAsync(); // the REST side still works
        await PunchElsewhereAsync(username, "out");

        await system.StartReporterAsync();

        await Expect(page.Locator("#live")).ToContainTextAsync("Live", new() { Timeout = 20_000 });
        await Expect(page.Locator("#today li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#today li").First).ToContainTextAsync("out");
        await Expect(page.Locator("#punch")).ToHaveTextAsync("Punch in");
    }

    [Fact]
    public async Task An_admin_downloads_a_csv_of_a_date_range()
    {
        var page = await system.OpenPageAsync();
        await LogInAsync(page, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        await Expect(page.Locator("#export-to")).Not.ToHaveValueAsync("");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-form").GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync());

        var path = await download.PathAsync();
        Assert.StartsWith("id,employee_id,username,action,timestamp,recorded_at,source", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_creates_a_person_who_logs_in_and_downloads_the_monthly_report()
    {
        var page = await system.OpenPageAsync();
        await LogInAsync(page, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        await Expect(page.Locator("#who")).ToContainTextAsync("admin");
        var username = NewUsername();

        await page.Locator("#people-new summary").ClickAsync();
        await page.Locator("#person-username").FillAsync(username);
        await page.Locator("#person-name").FillAsync("Sara Karimi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.Locator("#person-created")).ToContainTextAsync("shown only now");
        await Expect(page.Locator("#people")).ToContainTextAsync("Sara Karimi");
        var message = await page.Locator("#person-created").TextContentAsync() ?? "";
        var password = message[(message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
        await ScreenshotAsync(page, "09-people");

        var person = await system.OpenPageAsync();
        await LogInAsync(person, username, password);
        await Expect(person.Locator("#who")).ToContainTextAsync(username);

        await Expect(page.Locator("#report-month")).Not.ToHaveValueAsync("");
        await page.Locator("#report-format").SelectOptionAsync("csv");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#report-form").GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync());
        Assert.StartsWith("attendance-report-", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains($",{username},Sara Karimi,", await File.ReadAllTextAsync(await download.PathAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_shows_an_inline_error()
    {
        var page = await system.OpenPageAsync();

        await LogInAsync(page, WholeSystem.AdminUsername, "not-the-password");

        var error = page.Locator("#auth-error");
        await Expect(error).ToHaveTextAsync("invalid credentials");
        await Expect(error).ToHaveAttributeAsync("role", "alert");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Registration_problems_are_shown_in_plain_words()
    {
        var page = await system.OpenPageAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Register" }).ClickAsync();
        await page.Locator("#auth-form").GetByLabel("Username").FillAsync("x");
        await page.Locator("#auth-form").GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();

        var error = await page.Locator("#auth-error").TextContentAsync();
        await Expect(page.Locator("#auth-error")).ToContainTextAsync("username must be");
        Assert.DoesNotContain("{", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_employee_asks_to_void_a_wrong_punch_and_the_approver_decides_it_live()
    {
        var admin = await system.OpenPageAsync();
        await LogInAsync(admin, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        await Expect(admin.Locator("#live")).ToContainTextAsync("Live");
        var employee = await system.OpenPageAsync();
        var username = NewUsername();
        await RegisterAsync(employee, username);
        await Expect(employee.Locator("#live")).ToContainTextAsync("Live");
        await employee.Locator("#punch").ClickAsync();
        await Expect(employee.Locator("#today li")).ToHaveCountAsync(1);
        await Expect(admin.Locator("#feed li").First).ToContainTextAsync(username);

        // The employee: "Fix" on the record opens the dialog; the reason is required.
        await employee.Locator("#today li button.fix").ClickAsync();
        var dialog = employee.GetByRole(AriaRole.Dialog, new() { Name = "Void a wrong punch" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(employee.Locator("#fix-reason")).ToBeFocusedAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(employee.Locator("#fix-error")).ToContainTextAsync("3–500 characters");
        await employee.Locator("#fix-reason").FillAsync("pressed in by mistake");
        await ScreenshotAsync(employee, "05-fix-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(employee.Locator("#requests li").First).ToContainTextAsync("pending");

        // The approver's inbox and bell update live.
        var request = admin.Locator("#inbox li", new() { HasText = username });
        await Expect(request).ToContainTextAsync("pressed in by mistake");
        await Expect(admin.Locator("#bell-count")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "06-inbox");
        await request.GetByRole(AriaRole.Textbox).FillAsync("ok, happens");
        await request.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = false }).ClickAsync();
        await Expect(request).ToHaveCountAsync(0);

        // The employee's day loses the record, the request says approved, the bell rings.
        await Expect(employee.Locator("#today li")).ToHaveCountAsync(0);
        await Expect(employee.Locator("#punch")).ToHaveTextAsync("Punch in");
        await Expect(employee.Locator("#requests li").First).ToContainTextAsync("approved");
        await Expect(employee.Locator("#bell-count")).ToHaveTextAsync("1");
        await Expect(admin.Locator("#feed li.voided", new() { HasText = username })).ToHaveCountAsync(1);
        await employee.Locator("#bell").ClickAsync();
        await Expect(employee.Locator("#notification-list")).ToContainTextAsync("approved");
        await employee.Locator("#read-all").ClickAsync();
        await Expect(employee.Locator("#bell-count")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_forgotten_punch_is_requested_from_the_keyboard()
    {
        var page = await system.OpenPageAsync();
        await RegisterAsync(page, NewUsername());
        var earlier = await page.EvaluateAsync<string>(
            "(() => { const d = new Date(Date.now() - 20 * 60000); return new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); })()");

        await page.Locator("#add-missing").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#fix-action")).ToBeFocusedAsync();
        await page.Locator("#fix-action").SelectOptionAsync("in");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#fix-time")).ToBeFocusedAsync();
        await page.Locator("#fix-time").FillAsync(earlier);
        await page.Locator("#fix-reason").FocusAsync(); // (Tab walks the time's own fields first)
        await page.Keyboard.TypeAsync("the badge reader was down");
        await page.Keyboard.PressAsync("Control+Enter"); // not a submit: the dialog stays
        await Expect(page.Locator("#fix-dialog")).ToBeVisibleAsync();
        await page.Locator("#fix-submit").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#fix-dialog")).ToBeHiddenAsync();
        await Expect(page.Locator("#add-missing")).ToBeFocusedAsync();
        await Expect(page.Locator("#requests li").First).ToContainTextAsync("add in");
        await Expect(page.Locator("#requests li").First).ToContainTextAsync("pending");

        // Escape closes the dialog and gives focus back.
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#fix-dialog")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#fix-dialog")).ToBeHiddenAsync();
        await Expect(page.Locator("#add-missing")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task An_admin_reads_the_audit_log_and_verifies_its_chain()
    {
        var page = await system.OpenPageAsync();
        await LogInAsync(page, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        await Expect(page.Locator("#who")).ToContainTextAsync("admin");

        await page.Locator("#audit-action").SelectOptionAsync("employee.registered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Expect(page.Locator("#audit-rows tr").First).ToContainTextAsync("employee.registered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify chain" }).ClickAsync();
        await Expect(page.Locator("#audit-status")).ToContainTextAsync("Chain intact");
        await ScreenshotAsync(page, "07-audit");
    }

    [Fact]
    public async Task An_admin_closes_a_past_month_and_reopens_it()
    {
        var page = await system.OpenPageAsync();
        await LogInAsync(page, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        var month = DateTime.UtcNow.AddMonths(-3).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var current = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        await page.Locator("#period-month").FillAsync(current);
        await page.GetByRole(AriaRole.Button, new() { Name = "Close month" }).ClickAsync();
        await Expect(page.Locator("#period-error")).ToContainTextAsync("has not ended");
        await page.Locator("#period-month").FillAsync(month);
        await page.GetByRole(AriaRole.Button, new() { Name = "Close month" }).ClickAsync();
        var closed = page.Locator("#periods li", new() { HasText = month });
        await Expect(closed).ToHaveCountAsync(1);
        await Expect(page.Locator("#period-error")).ToBeEmptyAsync();

        await closed.GetByRole(AriaRole.Button, new() { Name = $"Reopen {month}" }).ClickAsync();
        await Expect(closed).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_persian_view_is_right_to_left_and_fits_a_phone()
    {
        var page = await system.OpenPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await RegisterAsync(page, NewUsername());

        await page.GetByLabel("Language").SelectOptionAsync("fa");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fa");
        await Expect(page.Locator("#punch")).ToHaveTextAsync("ثبت ورود");
        await Expect(page.Locator("#requests-title")).ToHaveTextAsync("درخواست‌های من");
        await page.Locator("#add-missing").ClickAsync();
        await Expect(page.Locator("#fix-title")).ToHaveTextAsync("افزودن ثبتِ جاافتاده");
        await ScreenshotAsync(page, "08-persian-fix-dialog");
        await page.Keyboard.PressAsync("Escape");
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the page must not scroll sideways on a phone");
        await ScreenshotAsync(page, "04-persian-phone");
    }

    /// <summary>A 1×1 PNG: a real image, so the server's check of the bytes accepts it.</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task An_admin_sets_up_a_team_and_a_schedule_and_the_manager_watches_their_team_and_its_month()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (leadName, memberName, teamName, scheduleName) = ($"lead-{suffix}", $"member-{suffix}", $"Crew {suffix}", $"Office {suffix}");
        var lead = await system.OpenPageAsync();
        await RegisterAsync(lead, leadName);
        var member = await system.OpenPageAsync();
        await RegisterAsync(member, memberName);

        var admin = await system.OpenPageAsync();
        await LogInAsync(admin, WholeSystem.AdminUsername, WholeSystem.AdminPassword);
        await Expect(admin.Locator("#who")).ToContainTextAsync("admin");

        // Make the lead a manager, from the people card's edit dialog.
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Edit: {leadName}" }).ClickAsync();
        await admin.Locator("#edit-role").SelectOptionAsync("manager");
        await admin.Locator("#person-edit-form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator("#people")).ToContainTextAsync($"{leadName} · manager");

        // A team with the lead as its manager.
        await admin.Locator("#team-name").FillAsync(teamName);
        await admin.Locator("#team-manager").SelectOptionAsync(new SelectOptionValue { Label = leadName });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add team" }).ClickAsync();
        await Expect(admin.Locator("#teams")).ToContainTextAsync($"{teamName} · {leadName} · 0 members");

        // A schedule: weekdays 08:00–16:00 in Berlin, Wednesday a night shift.
        await admin.Locator("#schedule-name").FillAsync(scheduleName);
        await admin.Locator("#schedule-zone").FillAsync("Europe/Berlin");
        await admin.Locator("#schedule-grace").FillAsync("10");
        foreach (var day in new[] { "mon", "tue", "wed", "thu", "fri" })
        {
            await admin.Locator($"#schedule-{day}-works").CheckAsync();
        }

        await admin.Locator("#schedule-wed-start").FillAsync("22:00");
        await admin.Locator("#schedule-wed-end").FillAsync("06:00");
        await Expect(admin.Locator("tr[data-day=wed] .night")).ToHaveTextAsync("night shift, ends the next day");
        await ScreenshotAsync(admin, "10-schedule-editor");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add schedule" }).ClickAsync();
        await Expect(admin.Locator("#schedules")).ToContainTextAsync($"{scheduleName} · Europe/Berlin · 10 min grace");

        // A bad zone is refused in the server's words, and nothing is added.
        await admin.Locator("#schedule-name").FillAsync("Bad zone");
        await admin.Locator("#schedule-zone").FillAsync("Mars/Olympus");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add schedule" }).ClickAsync();
        await Expect(admin.Locator("#schedule-error")).ToContainTextAsync("not a known IANA time zone");
        await Expect(admin.Locator("#schedules")).Not.ToContainTextAsync("Bad zone");

        // A holiday.
        await admin.Locator("#holiday-date").FillAsync("2027-03-21");
        await admin.Locator("#holiday-name").FillAsync("Nowruz");
        await admin.Locator("#holiday-form").GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Expect(admin.Locator("#holidays")).ToContainTextAsync("Nowruz");

        // The member joins the team, follows the schedule, and gets a photo.
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Edit: {memberName}" }).ClickAsync();
        await admin.Locator("#edit-name").FillAsync("Mina Rahimi");
        await admin.Locator("#edit-team").SelectOptionAsync(new SelectOptionValue { Label = teamName });
        await admin.Locator("#edit-schedule").SelectOptionAsync(new SelectOptionValue { Label = scheduleName });
        await admin.Locator("#edit-photo").SetInputFilesAsync(new FilePayload { Name = "mina.png", MimeType = "image/png", Buffer = TinyPng });
        await ScreenshotAsync(admin, "11-person-edit");
        await admin.Locator("#person-edit-form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator("#people")).ToContainTextAsync($"{memberName} · Mina Rahimi · employee · {teamName} · {scheduleName}");
        await Expect(admin.Locator("#teams")).ToContainTextAsync($"{teamName} · {leadName} · 1 members");

        // The manager logs in again (their role is in the token) and sees their team's board.
        var manager = await system.OpenPageAsync();
        await LogInAsync(manager, leadName, "correct-horse");
        await Expect(manager.Locator("#who")).ToContainTextAsync("manager");
        await Expect(manager.Locator("#live")).ToContainTextAsync("Live");
        await Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Who is in now" })).ToBeVisibleAsync();
        await Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Your teams' punches, live" })).ToBeVisibleAsync();
        await Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Teams", Exact = true })).ToBeHiddenAsync();
        await Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeHiddenAsync();
        await Expect(manager.Locator("#people")).ToContainTextAsync(memberName);
        await Expect(manager.Locator("#people")).Not.ToContainTextAsync(WholeSystem.AdminUsername);

        // The member punches in: it arrives on the manager's board, and the name opens their month.
        await member.Locator("#punch").ClickAsync();
        await Expect(manager.Locator("#feed li").First).ToContainTextAsync(memberName);
        await Expect(manager.Locator("#presence")).ToContainTextAsync(memberName);
        await manager.Locator("#feed").GetByRole(AriaRole.Button, new() { Name = $"{memberName}'s month" }).ClickAsync();
        await Expect(manager.Locator("#month-dialog")).ToBeVisibleAsync();
        await Expect(manager.Locator("#month-grid")).ToContainTextAsync("still in");
        await Expect(manager.Locator("#month-totals")).ToContainTextAsync("Days present");
        await ScreenshotAsync(manager, "12-month-view");
        await manager.Keyboard.PressAsync("Escape");
        await Expect(manager.Locator("#month-dialog")).ToBeHiddenAsync();
        await ScreenshotAsync(manager, "13-manager-board");

        // The manager's report: their team only.
        await manager.Locator("#report-calendar").SelectOptionAsync("gregorian");
        await manager.Locator("#report-team").SelectOptionAsync(new SelectOptionValue { Label = teamName });
        await manager.Locator("#report-format").SelectOptionAsync("csv");
        var download = await manager.RunAndWaitForDownloadAsync(() => manager.Locator("#report-form").GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains($",{memberName},Mina Rahimi,{teamName},", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(leadName, csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_keeps_its_sign_in_across_a_reload_where_no_script_can_read_it_and_logging_out_ends_it()
    {
        var page = await system.OpenPageAsync();
        var username = NewUsername();
        await RegisterAsync(page, username);

        // The access token is in memory only; the refresh token is an HttpOnly cookie.
        Assert.Equal(0, await page.EvaluateAsync<int>("sessionStorage.length + localStorage.length - (localStorage.getItem('attendance.lang') ? 1 : 0)"));
        Assert.DoesNotContain("refresh_token", await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "refresh_token");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/api/auth/", cookie.Path);

        // A reload signs in silently, live feed included.
        await page.ReloadAsync();
        await Expect(page.Locator("#who")).ToContainTextAsync(username);
        await Expect(page.Locator("#live")).ToContainTextAsync("Live");
        await page.Locator("#punch").ClickAsync();
        await Expect(page.Locator("#today li")).ToHaveCountAsync(1);

        await page.Locator("#logout").ClickAsync();
        await Expect(page.Locator("#auth-form")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("#auth-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#who")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_page_and_the_apis_share_one_origin_with_strict_security_headers()
    {
        using var http = new HttpClient { BaseAddress = new Uri(system.ClientOrigin) };
        using var pageResponse = await http.GetAsync("/index.html");
        var csp = string.Join(' ', pageResponse.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("camera=()", string.Join(' ', pageResponse.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        Assert.Equal("DENY", string.Join(' ', pageResponse.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", string.Join(' ', pageResponse.Headers.GetValues("X-Content-Type-Options")));

        // Through the proxy: auth and attendance answer on the page's origin, with their own problem details.
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { username = WholeSystem.AdminUsername, password = WholeSystem.AdminPassword });
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/attendance/attendance/presence");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var presence = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, presence.StatusCode);
        using var missing = await http.GetAsync("/api/attendance/attendance/presence");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        // Directly, the services carry the same protections.
        using var direct = await new HttpClient().GetAsync(system.AttendanceUrl + "/health/live");
        Assert.Equal("nosniff", string.Join(' ', direct.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(' ', direct.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_role_change_revokes_its_token_the_page_refreshes_silently_and_stays_live()
    {
        var page = await system.OpenPageAsync();
        var username = NewUsername();
        await RegisterAsync(page, username);
        await Expect(page.Locator("#live")).ToContainTextAsync("Live");
        var refresh = page.WaitForRequestAsync(request => request.Url.EndsWith("/api/auth/token/refresh", StringComparison.Ordinal), new() { Timeout = 10_000 });

        // An admin, elsewhere, makes them a manager: their access token is revoked and the socket closed (1008).
        using var http = new HttpClient();
        using var login = await http.PostAsJsonAsync(system.AuthUrl + "/login", new { username = WholeSystem.AdminUsername, password = WholeSystem.AdminPassword });
        var adminToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var me = await http.PostAsJsonAsync(system.AuthUrl + "/login", new { username, password = "correct-horse" });
        var id = (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("employee_id").GetInt32();
        using var promote = new HttpRequestMessage(HttpMethod.Put, $"{system.AuthUrl}/employees/{id}/role") { Content = JsonContent.Create(new { role = "manager" }) };
        promote.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using (var promoted = await http.SendAsync(promote))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, promoted.StatusCode);
        }

        // No password asked: the page renews its token from the cookie, reconnects, and its next punch works.
        await refresh; // times out when the page did not refresh its token after the socket was closed as revoked
        await Expect(page.Locator("#live")).ToContainTextAsync("Live");
        await page.Locator("#punch").ClickAsync();
        await Expect(page.Locator("#today li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#auth-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#who")).ToContainTextAsync(username);
    }
}
