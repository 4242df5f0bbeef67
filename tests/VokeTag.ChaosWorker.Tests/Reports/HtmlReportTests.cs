using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Reports.Html;

namespace VokeTag.ChaosWorker.Tests.Reports;

public sealed partial class HtmlReportTests
{
    private static readonly string[] ChartIds =
        ["latency", "error-rate", "status-codes", "throughput", "served-from", "replicas", "breakers", "cpu", "memory", "db-connections"];

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Every_chart_is_an_inline_svg_and_the_page_loads_nothing_from_outside()
    {
        var html = new HtmlReport("https://localhost:17001/login?t=abc").Render(SyntheticRuns.RedisFailure());

        foreach (var id in ChartIds)
        {
            var figure = Figure(html, id);
            Assert.NotNull(figure.Element(Svg + "svg"));
        }

        // Only the dashboard link points outside; no script, stylesheet, font or image is fetched.
        Assert.Single(ExternalReference().Matches(html));
        Assert.Contains("id=\"dashboard-traces\" href=\"https://localhost:17001/login?", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // The one link is the icon, inline: without it a browser asks the worker for /favicon.ico.
        Assert.Equal(["<link rel=\"icon\" href=\"data:,\" />"], Regex.Matches(html, "<link[^>]*>").Select(match => match.Value));
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_fault_window_attributes_are_the_records_inject_and_rollback_times_from_the_run_start()
    {
        var run = SyntheticRuns.RedisFailure();
        var figure = Figure(new HtmlReport(null).Render(run), "latency");

        var window = Assert.Single(JsonNode.Parse(figure.Attribute("data-fault-windows")!.Value)!.AsArray())!;
        Assert.Equal("stop", window["fault"]!.GetValue<string>());
        Assert.Equal("cache", window["target"]!.GetValue<string>());
        Assert.Equal((run.FaultActions[0].At - run.StartedAt).TotalSeconds, window["start"]!.GetValue<double>(), 3);
        Assert.Equal((run.FaultActions[1].At - run.StartedAt).TotalSeconds, window["end"]!.GetValue<double>(), 3);
        var phases = JsonNode.Parse(figure.Attribute("data-phases")!.Value)!.AsArray();
        Assert.Equal(["baseline", "impact", "recovery"], phases.Select(phase => phase!["phase"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("latency")]
    [InlineData("breakers")]
    [InlineData("cpu")]
    public void The_shaded_fault_span_maps_back_to_the_window_within_a_second(string chart)
    {
        var figure = Figure(new HtmlReport(null).Render(SyntheticRuns.RedisFailure()), chart);
        double Attribute(string name) => double.Parse(figure.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        var (xMin, xMax, left, right) = (Attribute("data-x-min"), Attribute("data-x-max"), Attribute("data-plot-left"), Attribute("data-plot-right"));
        double Seconds(double pixel) => xMin + (pixel - left) / (right - left) * (xMax - xMin);

        var span = Assert.Single(figure.Descendants(Svg + "rect"),
            rect => string.Equals((string?)rect.Attribute("fill"), ChartRenderer.FaultWindowColor, StringComparison.OrdinalIgnoreCase));
        var x = double.Parse(span.Attribute("x")!.Value, CultureInfo.InvariantCulture);
        var width = double.Parse(span.Attribute("width")!.Value, CultureInfo.InvariantCulture);

        Assert.InRange(Seconds(x), 12.3 - 1, 12.3 + 1);
        Assert.InRange(Seconds(x + width), 32.9 - 1, 32.9 + 1);
    }

    [Fact]
    public void A_failed_criterion_lists_its_action_items_and_a_held_one_none()
    {
        var html = new HtmlReport(null).Render(SyntheticRuns.RedisFailure());
        var page = Parse(html);

        var row = page.Descendants("tr").Single(tr => tr.Descendants("code").Any(code => code.Value == "fallback-share"));
        Assert.Equal("fail", (string?)row.Attribute("class"));
        Assert.Contains("FAIL", row.Value);
        var actions = page.Descendants("div").Single(div => (string?)div.Attribute("data-criterion") == "fallback-share");
        Assert.Equal(["Review circuit breaker configuration", "Verify fallback logic in code"], actions.Descendants("li").Select(li => li.Value));
        Assert.DoesNotContain(page.Descendants("div"), div => (string?)div.Attribute("data-criterion") == "error-rate");
    }

    [Fact]
    public void A_criterion_without_its_own_actions_gets_its_metrics_defaults()
    {
        var criterion = new Criterion("latency-increase", "x", _ => 9, VokeTag.Experiments.Comparison.LessThan, 5, "x");

        Assert.Contains("Check database connection pooling", criterion.ActionsWhenFailed);
        Assert.Equal(ActionItems.General, new Criterion("my-own", "x", _ => 1, VokeTag.Experiments.Comparison.LessThan, 0, "").ActionsWhenFailed);
    }

    [Fact]
    public void Strings_from_files_and_runs_are_encoded()
    {
        var html = new HtmlReport(null).Render(SyntheticRuns.RedisFailure(title: "<script>alert(1)</script>", runId: "run\"><img src=x>"));

        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.DoesNotContain("<img src=x>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Equal("run\"><img src=x>", (string?)Parse(html).Descendants("main").Single().Attribute("data-run-id"));
    }

    [Fact]
    public void Main_carries_the_run_id_and_status_and_the_ledger_is_shown()
    {
        var page = Parse(new HtmlReport(null).Render(SyntheticRuns.RedisFailure()));
        var main = page.Descendants("main").Single();

        Assert.Equal("run-42", (string?)main.Attribute("data-run-id"));
        Assert.Equal("failed", (string?)main.Attribute("data-status"));
        Assert.Contains("ledger-missing", page.Descendants("section").Single(section => (string?)section.Attribute("id") == "ledger").Value);
        Assert.Contains("Chaos:DashboardUrl", page.Descendants("section").Single(section => (string?)section.Attribute("id") == "dashboard").Value);
    }

    [Fact]
    public void A_Chaos_Toolkit_run_shows_its_journal()
    {
        var journal = JsonNode.Parse("""
            {"status":"completed","deviated":false,
             "steady_states":{"before":{"probes":[{"activity":{"type":"probe","name":"api-answers"},"status":"succeeded","tolerance_met":true,"start":"2025-01-01T12:00:00","end":"2025-01-01T12:00:01","duration":1.2}]},
                              "after":{"probes":[{"activity":{"type":"probe","name":"api-answers"},"status":"succeeded","tolerance_met":true,"start":"2025-01-01T12:00:20","end":"2025-01-01T12:00:21","duration":0.8}]}},
             "run":[{"activity":{"type":"action","name":"stop-<redis>"},"status":"succeeded","start":"2025-01-01T12:00:02","end":"2025-01-01T12:00:12","duration":10}],
             "rollbacks":[{"activity":{"type":"action","name":"start-redis"},"status":"succeeded","start":"2025-01-01T12:00:22","end":"2025-01-01T12:00:25","duration":3}]}
            """)!.AsObject();
        var run = new ExperimentRun("ctk-1", "redis-outage", "Redis outage", "steady", RunStatus.Passed, SyntheticRuns.Start, SyntheticRuns.Start.AddSeconds(30), [], [], null, null, null)
        {
            Journal = journal,
        };

        var html = new HtmlReport(null).Render(run);
        var rows = Parse(html).Descendants("table").Single(table => (string?)table.Attribute("id") == "journal-activities").Descendants("tbody").Single().Elements("tr").ToList();

        Assert.Equal(4, rows.Count);
        Assert.Contains("stop-<redis>", rows[1].Value);
        Assert.Contains("rollbacks", rows[3].Value);
        Assert.Contains("data-chart=\"journal-durations\"", html);
        Assert.DoesNotContain("data-chart=\"latency\"", html);
    }

    private static XElement Figure(string html, string chart) =>
        Parse(html).Descendants("figure").Single(figure => (string?)figure.Attribute("data-chart") == chart);

    /// <summary>The page as XML: it has no void elements left open but <c>meta</c>, which are closed here for the parser.</summary>
    private static XDocument Parse(string html) =>
        XDocument.Parse(MetaTag().Replace(html.Replace("<!DOCTYPE html>", ""), match => match.Value.TrimEnd('>') + "/>"));

    [GeneratedRegex("""(src|href)\s*=\s*"https?://""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("<meta[^>]*(?<!/)>")]
    private static partial Regex MetaTag();
}
