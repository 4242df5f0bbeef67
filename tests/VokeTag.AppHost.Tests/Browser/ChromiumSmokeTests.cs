namespace VokeTag.AppHost.Tests.Browser;

public sealed class ChromiumSmokeTests
{
    [Fact]
    public async Task Debian_chromium_renders_a_page_and_reports_its_console_errors()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();

        await page.Page.SetContentAsync("<html><body><svg id='s' width='10' height='10'><rect width='5' height='5'/></svg><script>console.error('boom')</script></body></html>");

        Assert.Equal(1, await page.Page.Locator("svg#s rect").CountAsync());
        Assert.Contains(page.ErrorsSoFar(), error => error.Text.Contains("boom", StringComparison.Ordinal));
    }
}
