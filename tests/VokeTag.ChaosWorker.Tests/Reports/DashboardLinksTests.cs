using VokeTag.ChaosWorker.Reports.Html;

namespace VokeTag.ChaosWorker.Tests.Reports;

public sealed class DashboardLinksTests
{
    [Fact]
    public void The_traces_link_filters_on_the_run_id_tag_in_the_dashboards_filter_format()
    {
        Assert.Equal("https://localhost:17001/traces?filters=chaos.run_id%3Aequals%3Arun-1",
            new DashboardLinks("https://localhost:17001/").Traces("run-1"));
    }

    [Fact]
    public void A_login_url_keeps_its_token_and_returns_to_the_traces()
    {
        Assert.Equal("http://localhost:15000/login?t=abc123&returnUrl=%2Ftraces%3Ffilters%3Dchaos.run_id%253Aequals%253Arun%252B1",
            new DashboardLinks("http://localhost:15000/login?t=abc123").Traces("run 1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("javascript:alert(1)")]
    public void Without_a_usable_dashboard_url_there_is_no_link(string? url)
    {
        Assert.Null(new DashboardLinks(url).Traces("run-1"));
    }
}
