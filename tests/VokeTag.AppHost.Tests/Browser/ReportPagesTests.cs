using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using VokeTag.AppHost.Tests.Integration;
using Xunit.Abstractions;
using static VokeTag.AppHost.Tests.Integration.GameDayApi;

namespace VokeTag.AppHost.Tests.Browser;

/// <summary>
/// What people look at, in a real browser (Debian's chromium through Playwright) against the lab as a user runs it:
/// the dashboard's Reports link, the runs index, a run's report with its charts (the fault window where the run's
/// record puts it), the report's links into the dashboard while the lab runs, a hidden game-day round played from
/// the dashboard's dialogs alone, and gameday.html. The screenshots are kept (<see cref="Chromium.ScreenshotsFolder"/>); the README's
/// first-30-minutes pictures are these.
/// </summary>
[Collection(LabCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReportPagesTests(UserLab lab, ITestOutputHelper output) : IClassFixture<UserLab>, IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);
    private const int DashboardAttempts = 3;

    [Fact]
    public async Task A_run_report_renders_its_charts_with_the_fault_window_where_the_run_record_puts_it_and_links_to_the_runs_trace()
    {
        using var worker = lab.WorkerClient();
        var runId = await RunAsync(worker, "redis-failure");
        var record = await RecordAsync(runId);
        await using var chromium = await Chromium.LaunchAsync();
        var browser = await DashboardAsync(chromium);
        var page = browser.Page;

        // The dashboard, logged in as the terminal said, shows the Reports link on the chaos resource.
        var reports = page.Locator("[role=row]", new() { HasText = "VokeTag.ChaosWorker" }).GetByRole(AriaRole.Link, new() { Name = "Reports" });
        await DashboardStepAsync(browser, "the Reports link", () => reports.WaitForAsync());
        Assert.Equal(new Uri(lab.Worker, "/reports").ToString(), await reports.GetAttributeAsync("href"));
        await browser.ScreenshotAsync("1-dashboard-resources");

        // The runs index lists the run with its verdict, and links to its report.
        await page.GotoAsync(new Uri(lab.Worker, "/reports").ToString());
        var row = page.Locator($"tr.run[data-run-id='{runId}']");
        Assert.Equal(record.GetProperty("status").GetString(), await row.GetAttributeAsync("data-status"));
        await browser.ScreenshotAsync("2-runs-index");
        await row.GetByRole(AriaRole.Link, new() { Name = "report.html" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        // Charts from the library, as inline SVG, and the fault window where the record says, within a second.
        Assert.Equal(runId, await page.Locator("main").GetAttributeAsync("data-run-id"));
        Assert.True(await page.Locator("figure.chart svg").CountAsync() >= 10, "fewer charts than the report promises");
        var (injected, rolledBack) = FaultWindow(record);
        foreach (var chart in new[] { "latency", "error-rate", "served-from" })
        {
            var (start, end) = await ShadedWindowAsync(page, chart);
            output.WriteLine($"{chart}: fault shaded {start:0.00}–{end:0.00} s; the record says {injected:0.00}–{rolledBack:0.00} s");
            Assert.InRange(start, injected - 1, injected + 1);
            Assert.InRange(end, rolledBack - 1, rolledBack + 1);
        }

        Assert.Contains("work only while that lab runs", await page.Locator("#dashboard").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("3-run-report");
        Assert.Empty(ErrorsFromTheWorker(browser));

        // While the lab runs, the link opens the run's own trace in the dashboard, named after the run.
        var report = page.Url;
        await DashboardStepAsync(browser, "the run's trace", async () =>
        {
            await page.GotoAsync(report);
            await page.Locator("#dashboard-trace").ClickAsync();
            await page.GetByText($"chaos redis-failure {runId}").First.WaitForAsync();
        });
        await browser.ScreenshotAsync("4-run-trace");
    }

    [Fact]
    public async Task A_facilitator_and_a_blue_team_play_a_hidden_round_from_the_dashboard_alone_and_gameday_html_shows_it()
    {
        using var worker = lab.WorkerClient();
        await using var chromium = await Chromium.LaunchAsync();
        var browser = await DashboardAsync(chromium);
        var page = browser.Page;

        // The facilitator: chaos → ⋯ → Commands → Start game day, one hidden round of Redis failure.
        await CommandStepAsync(browser, worker, "Start game day", async start =>
        {
            await start.Locator("fluent-text-input").Nth(0).Locator("input").FillAsync("redis-failure");
            await start.Locator("fluent-text-input").Nth(1).Locator("input").FillAsync("1");
            await start.Locator("fluent-text-input").Nth(2).Locator("input").FillAsync("120");
        }, view => view is not null);
        var live = await UntilGameDayAsync(worker, view => view.GetProperty("rounds").GetArrayLength() == 1
            && view.GetProperty("rounds")[0].GetProperty("status").GetString() == "live");
        var gameDayId = live.GetProperty("id").GetString()!;
        var roundId = $"{gameDayId}-r1";
        Assert.True(live.GetProperty("hidden").GetBoolean());

        // While hidden, the dashboard's traces of the round (its phases so far, its load) never name the scenario.
        var dashboard = new Uri(new Uri(lab.LoginUrl), "/");
        var roundTraces = new Uri(dashboard, $"/traces?filters={Uri.EscapeDataString($"chaos.run_id:equals:{roundId}")}").ToString();
        await DashboardStepAsync(browser, "the round's traces while hidden", async () =>
        {
            await page.GotoAsync(roundTraces);
            await page.Locator("[role=row]").Nth(1).WaitForAsync(); // a trace of the round (the header is row 0)
        });
        Assert.DoesNotContain("redis-failure", await page.Locator("body").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await page.GotoAsync(dashboard.ToString());

        // The blue team: Declare incident, Diagnose and Mitigate, each asked and answered in a dashboard dialog.
        const string Seen = "verifications slower, cache calls failing in the traces";
        await CommandStepAsync(browser, worker, "Declare incident", async declare =>
        {
            await declare.Locator("fluent-text-input").First.Locator("input").FillAsync(Seen);
            await browser.ScreenshotAsync("5-gameday-declare");
        }, view => Recorded(view, "declare"));
        await CommandStepAsync(browser, worker, "Diagnose", async diagnose =>
        {
            await ChooseAsync(diagnose, 0, "cache");
            await ChooseAsync(diagnose, 1, "stopped");
        }, view => Recorded(view, "diagnose"));
        await CommandStepAsync(browser, worker, "Mitigate", mitigate => ChooseAsync(mitigate, 0, "start cache"), view => Recorded(view, "mitigate"));

        var ended = await UntilGameDayAsync(worker, view => view.GetProperty("status").GetString() == "ended");
        output.WriteLine(ended.GetProperty("rounds")[0].GetProperty("score").ToString());
        var declaration = Entries(ended, "declare").Single();
        Assert.Equal((Seen, "blue team", true), (declaration.GetProperty("text").GetString(), declaration.GetProperty("by").GetString(), declaration.GetProperty("correct").GetBoolean()));
        Assert.True(Entries(ended, "diagnose").Single().GetProperty("correct").GetBoolean(), "the dashboard's diagnosis cache/stopped was not taken as correct");
        Assert.True(Entries(ended, "mitigate").Single().GetProperty("correct").GetBoolean(), "the dashboard's mitigation 'start cache' was not taken as correct");
        Assert.Equal("redis-failure", ended.GetProperty("rounds")[0].GetProperty("scenario").GetString());

        // The round's own trace, once it ended, is named after the round: what the dashboard showed while it was hidden.
        // Opened through the round's report.html, written at the reveal: in the traces list it is the oldest of hundreds.
        await DashboardStepAsync(browser, "the round's trace after the reveal", async () =>
        {
            await page.GotoAsync(new Uri(lab.Worker, "/reports").ToString());
            await page.Locator($"tr.run[data-run-id='{roundId}']").GetByRole(AriaRole.Link, new() { Name = "report.html" }).ClickAsync();
            await page.Locator("#dashboard-trace").ClickAsync();
            await page.GetByText($"chaos {roundId} {roundId}").First.WaitForAsync();
        });

        // gameday.html from the runs index: revealed, and the team's actions on the round's chart.
        await page.GotoAsync(new Uri(lab.Worker, "/reports").ToString());
        await page.Locator("#gamedays").GetByRole(AriaRole.Link, new() { Name = gameDayId }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var round = page.Locator($"section.round[data-round-id='{roundId}']");
        Assert.Equal("redis-failure", await round.GetAttributeAsync("data-scenario"));
        var markers = JsonDocument.Parse((await round.Locator("figure").GetAttributeAsync("data-events"))!).RootElement.EnumerateArray()
            .Select(marker => marker.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["declare", "diagnose", "mitigate"], markers);
        Assert.Contains(Seen, await round.InnerTextAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("6-gameday");
        Assert.Empty(ErrorsFromTheWorker(browser));
    }

    /// <summary>What the dashboard logged as failing in its terminal, in the test's output: why its circuit died, if it did.</summary>
    public void Dispose()
    {
        foreach (var line in lab.DashboardFailures())
        {
            output.WriteLine(line);
        }
    }

    /// <summary>
    /// The console errors of the worker's pages (the runs index, the reports), which must have none. Every error the
    /// page saw, the dashboard's too, goes to the test's output.
    /// </summary>
    private IReadOnlyList<PageError> ErrorsFromTheWorker(WatchedPage browser)
    {
        WriteConsoleErrors(browser);
        return browser.ErrorsFrom(lab.Worker);
    }

    /// <summary>A page logged into the dashboard with the link the terminal printed, on its Resources page.</summary>
    private async Task<WatchedPage> DashboardAsync(Chromium chromium)
    {
        var browser = await chromium.NewPageAsync();
        await browser.Page.GotoAsync(lab.LoginUrl);
        await browser.Page.WaitForLoadStateAsync(LoadState.NetworkIdle); // the Blazor app takes the token before it navigates
        await browser.Page.GotoAsync(new Uri(new Uri(lab.LoginUrl), "/").ToString());
        return browser;
    }

    /// <summary>
    /// chaos → ⋯ → Commands → <paramref name="command"/>, its dialog answered and submitted; then the dialog has gone,
    /// the command handed to the worker. Should the dashboard's own circuit die under it, reloaded and done again unless
    /// the worker already has it (<paramref name="recorded"/>, over <c>/gamedays/current</c>).
    /// </summary>
    private async Task CommandStepAsync(WatchedPage browser, HttpClient worker, string command, Func<ILocator, Task> answer, Func<JsonElement?, bool> recorded)
    {
        var attempts = 0;
        await DashboardStepAsync(browser, command, async () =>
        {
            if (recorded(await CurrentGameDayAsync(worker)))
            {
                return; // taken before the dashboard's circuit died: a person would not answer twice either
            }

            var dialog = await DialogAsync(browser.Page, command, stillPending: attempts++ > 0);
            await answer(dialog);
            await browser.Page.Locator("footer.interaction-dialog-actions fluent-button[appearance=primary]", new() { HasText = command }).ClickAsync();
            await browser.Page.Locator("footer.interaction-dialog-actions").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        });
    }

    /// <summary>
    /// One step in the dashboard. Aspire's dashboard (13.6.5) loses its Blazor circuit now and then, more often on a
    /// loaded machine: its input dialog's call to focus the first input finds no element, the JSException ends the
    /// circuit, and the page shows "An unhandled error has occurred. Reload" (the terminal has the stack, and the test's
    /// output gets it from <see cref="Dispose"/>). The test then does what a person does, reloads and does the step again,
    /// up to <see cref="DashboardAttempts"/> times; any other failure fails the test.
    /// </summary>
    private async Task DashboardStepAsync(WatchedPage browser, string step, Func<Task> act)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await act();
                return;
            }
            catch (Exception exception) when (exception is TimeoutException or PlaywrightException)
            {
                if (attempt == DashboardAttempts || !await browser.Page.Locator("#blazor-error-ui").IsVisibleAsync())
                {
                    await browser.ScreenshotAsync($"failed-{step}");
                    WriteConsoleErrors(browser);
                    throw;
                }

                output.WriteLine($"{step}: the dashboard's circuit died under it ({exception.Message.Split('\n')[0]}); reloading, as its Reload link does");
            }

            await browser.Page.ReloadAsync();
        }
    }

    /// <summary>
    /// The dialog of <paramref name="command"/>, opened through chaos → ⋯ → Commands; after a reload the dashboard shows
    /// a command's dialog again by itself while the command still waits for its answer.
    /// </summary>
    private static async Task<ILocator> DialogAsync(IPage page, string command, bool stillPending)
    {
        var dialog = page.Locator("#interactions-input-dialog");
        if (!stillPending || !await ShowsAsync(dialog.Locator("footer.interaction-dialog-actions"), TimeSpan.FromSeconds(10)))
        {
            await page.Locator("[role=row]", new() { HasText = "VokeTag.ChaosWorker" }).GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands" }).HoverAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = command, Exact = true }).ClickAsync();
        }

        await dialog.Locator("footer.interaction-dialog-actions").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await dialog.Locator("fluent-text-input, fluent-dropdown").First.WaitForAsync();

        // The dashboard focuses the first input once a new dialog has rendered. A click before that can re-render the
        // input the focus call is on its way to, and the failed call takes the dashboard's circuit with it. So: until
        // the focus is there (or the circuit died), for a while at most, since a dialog shown again after a reload gets none.
        if (!stillPending)
        {
            await ShowsAsync(page.Locator("#interactions-input-dialog :is(fluent-text-input, fluent-dropdown):focus-within, #blazor-error-ui:visible").First, TimeSpan.FromSeconds(10));
        }

        return dialog;
    }

    private static async Task<bool> ShowsAsync(ILocator element, TimeSpan limit)
    {
        try
        {
            await element.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = (float)limit.TotalMilliseconds });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Picks <paramref name="value"/> in the dialog's <paramref name="index"/>th choice input.</summary>
    private static async Task ChooseAsync(ILocator dialog, int index, string value)
    {
        await dialog.Locator("fluent-dropdown").Nth(index).ClickAsync();
        await dialog.Locator("fluent-dropdown").Nth(index).Locator($"fluent-option[value='{value}']").ClickAsync();
    }

    private void WriteConsoleErrors(WatchedPage browser)
    {
        foreach (var error in browser.ErrorsSoFar())
        {
            output.WriteLine($"console error: {error}");
        }
    }

    /// <summary>The first fault's window in seconds since the run started, from <c>run.json</c>.</summary>
    private static (double Injected, double RolledBack) FaultWindow(JsonElement record)
    {
        var started = record.GetProperty("startedAt").GetDateTimeOffset();
        var actions = record.GetProperty("faultActions").EnumerateArray().ToList();
        double At(string action) => (actions.First(entry => entry.GetProperty("action").GetString() == action).GetProperty("at").GetDateTimeOffset() - started).TotalSeconds;
        return (At("inject"), At("rollback"));
    }

    /// <summary>
    /// Where the shaded fault span is drawn in a chart, in seconds: the rect of the fault colour, mapped through the
    /// data area's pixel box and the x-axis range the figure states.
    /// </summary>
    private static async Task<(double Start, double End)> ShadedWindowAsync(IPage page, string chart)
    {
        var figure = page.Locator($"figure[data-chart='{chart}']");
        double Attribute(string name, string value) => double.Parse(value, CultureInfo.InvariantCulture);
        var data = await figure.EvaluateAsync<Dictionary<string, string>>("f => ({ ...f.dataset })");
        var (left, right) = (Attribute("plotLeft", data["plotLeft"]), Attribute("plotRight", data["plotRight"]));
        var (xMin, xMax) = (Attribute("xMin", data["xMin"]), Attribute("xMax", data["xMax"]));
        var rect = await figure.EvaluateAsync<double[]>(
            "(f, color) => { const r = [...f.querySelectorAll('svg rect')].find(e => (e.getAttribute('fill') || '').toUpperCase() === color.toUpperCase()); return r ? [parseFloat(r.getAttribute('x')), parseFloat(r.getAttribute('width'))] : []; }",
            data["faultColor"]);
        Assert.True(rect.Length == 2, $"no rect of the fault colour {data["faultColor"]} in the {chart} chart");
        double Seconds(double pixel) => xMin + (pixel - left) / (right - left) * (xMax - xMin);
        return (Seconds(rect[0]), Seconds(rect[0] + rect[1]));
    }

    private async Task<string> RunAsync(HttpClient worker, string experiment)
    {
        using var started = await worker.PostAsJsonAsync("/runs", new { experiments = new[] { experiment }, baselineSeconds = 5, impactSeconds = 10, recoverySeconds = 20 });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runIds")[0].GetString()!;
        using var limit = new CancellationTokenSource(RunLimit);
        while ((await worker.GetFromJsonAsync<JsonElement>($"/runs/{runId}", limit.Token)).GetProperty("status").GetString() is "queued" or "running" or "stopping")
        {
            await Task.Delay(TimeSpan.FromSeconds(1), limit.Token); // poll while the run plays its phases
        }

        output.WriteLine($"run {runId} done");
        return runId;
    }

    private async Task<JsonElement> RecordAsync(string runId) =>
        JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(lab.RunsDirectory, runId, "run.json"))).RootElement;

    private static bool Recorded(JsonElement? view, string kind) => view is { } gameDay && Entries(gameDay, kind).Any();
}
