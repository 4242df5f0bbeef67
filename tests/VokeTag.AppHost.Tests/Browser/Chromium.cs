using Microsoft.Playwright;

namespace VokeTag.AppHost.Tests.Browser;

/// <summary>
/// Debian's <c>chromium</c> (installed by test.sh; Playwright downloads no browser), headless, driven by Playwright.
/// Each page records its console errors and uncaught exceptions; screenshots go to
/// <c>$TEST_RESULTS_DIR/screenshots</c> (CI keeps them as artifacts), else <c>TestResults/screenshots</c> in the checkout.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public IBrowser Browser { get; }

    public static string ScreenshotsFolder { get; } = Directory.CreateDirectory(Path.Combine(
        Environment.GetEnvironmentVariable("TEST_RESULTS_DIR") is { Length: > 0 } results ? results : Path.Combine(Repository.Root, "TestResults"),
        "screenshots")).FullName;

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No {ExecutablePath}: the browser tests drive Debian's chromium (apt-get install -y chromium; ./test.sh installs it).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A page in a context of its own (its own cookies: a dashboard login stays with it).</summary>
    public async Task<WatchedPage> NewPageAsync(IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var errors = new List<PageError>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(new PageError(page.Url, message.Location is { Length: > 0 } source ? source : page.Url, message.Text));
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(new PageError(page.Url, page.Url, $"uncaught: {error}"));
            }
        };
        return new WatchedPage(page, errors);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page and the errors it logged since it opened.</summary>
public sealed record WatchedPage(IPage Page, List<PageError> Errors)
{
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Chromium.ScreenshotsFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public IReadOnlyList<PageError> ErrorsSoFar()
    {
        lock (Errors)
        {
            return [.. Errors];
        }
    }

    /// <summary>The errors logged by <paramref name="site"/>'s pages, not by another site this page visited.</summary>
    public IReadOnlyList<PageError> ErrorsFrom(Uri site) => [.. ErrorsSoFar().Where(error => error.CameFrom(site))];
}

/// <summary>A console error or an uncaught exception: the page shown then, the script (or page) that logged it, its text.</summary>
public sealed record PageError(string PageUrl, string Source, string Text)
{
    public bool CameFrom(Uri site) => Source.StartsWith(site.GetLeftPart(UriPartial.Authority) + "/", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Text} (from {Source}, on {PageUrl})";
}

/// <summary>The checkout this test binary was built from.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "VokeTag.Lab.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"No VokeTag.Lab.sln above {AppContext.BaseDirectory}");
    }
}
