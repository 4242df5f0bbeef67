using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VokeTag.ChaosWorker.GameDays;
using VokeTag.ChaosWorker.Reports.Html;

namespace VokeTag.ChaosWorker.Tests.GameDays;

/// <summary>
/// gameday.html: the revealed scenario, the score card, a chart per round with the team's actions marked, the timeline
/// with every action, the learning notes; hostile text encoded; nothing of the scenario before the reveal.
/// </summary>
public sealed partial class GameDayPageTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void The_page_reveals_each_round_with_its_score_timeline_and_learning_notes()
    {
        var script = new GameDayScript();
        var round = script.StartRound();
        GameDayScript.Inject(round);
        script.Wait(10);
        script.GameDay.Declare("blue", "verify is slow");
        script.GameDay.Diagnose("blue", "cache", "stopped");
        script.GameDay.Mitigate("blue", "restart", "cache");
        script.Wait(1);
        script.EndRound(round);
        script.GameDay.Finish(stopped: false);

        var html = GameDayPage.Render(script.GameDay);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("data-round-id=\"gd-abc123-r1\"", html);
        Assert.Contains($"data-injected-at=\"{round.Control.InjectedAt!.Value:O}\"", html);
        Assert.Contains("data-events=\"[{&quot;kind&quot;:", html);
        Assert.Contains("<code class=\"scenario\">redis-failure</code>", html);
        Assert.Contains("Injected: stop cache", html);
        Assert.Contains("class=\"detect\" data-seconds=\"10\"", html);
        Assert.Contains("class=\"mitigation\" data-correct=\"true\"", html);
        Assert.Contains("href=\"../../gd-abc123-r1/report.html\"", html);
        Assert.Contains("A cache is an optimisation, not a dependency", html); // the file's learning notes
        Assert.Contains("verify is slow", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html.Replace("href=\"../../", "", StringComparison.Ordinal), StringComparison.Ordinal); // no CDN
    }

    [Fact]
    public void Hostile_notes_and_names_are_encoded()
    {
        var script = new GameDayScript();
        script.StartRound();
        script.GameDay.Note("<img src=x onerror=alert(1)>", "<script>alert('pwned')</script> & \"quotes\"");
        script.GameDay.Declare("blue", "</td></tr></table><h1>fake</h1>");
        script.GameDay.Finish(stopped: true);

        var html = GameDayPage.Render(script.GameDay);

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<h1>fake", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;", html);
        Assert.Contains("data-status=\"stopped\"", html);
    }

    [Fact]
    public void Each_round_with_a_timeline_has_one_chart_and_a_round_stopped_early_says_it_has_none()
    {
        var script = new GameDayScript(rounds: 2, hidden: false);
        var first = script.StartRound();
        script.Wait(5);
        GameDayScript.Inject(first);
        script.Wait(10);
        script.EndRound(first, timeline: true);
        var second = script.StartRound(2);
        script.Wait(3);
        script.EndRound(second, timeline: false); // stopped before its baseline: no timeline
        script.GameDay.Finish(stopped: true);

        var page = Parse(GameDayPage.Render(script.GameDay));

        var figure = Assert.Single(page.Descendants("figure"));
        Assert.Equal(first.Id, (string?)figure.Attribute("data-chart"));
        Assert.Same(figure.Ancestors("section").Single(), Round(page, first.Id));
        Assert.NotNull(figure.Element(Svg + "svg"));
        Assert.Contains(figure.Descendants(Svg + "rect"),
            rect => string.Equals((string?)rect.Attribute("fill"), ChartRenderer.FaultWindowColor, StringComparison.OrdinalIgnoreCase));
        var window = Assert.Single(JsonNode.Parse(figure.Attribute("data-fault-windows")!.Value)!.AsArray())!;
        Assert.Equal(5, window["start"]!.GetValue<double>(), 3); // the run started with the round; the fault went in 5 s later
        Assert.Contains("stopped before its run recorded a timeline", Round(page, second.Id).Value, StringComparison.Ordinal);
        Assert.Contains(page.Descendants("a"), link => (string?)link.Attribute("href") == $"../../{second.Id}/report.html");
    }

    [Fact]
    public void The_charts_events_are_the_teams_actions_in_seconds_since_the_run_started_each_drawn_as_a_line()
    {
        var script = new GameDayScript();
        var round = script.StartRound();
        script.Wait(5);
        GameDayScript.Inject(round);
        script.Wait(10);
        script.GameDay.Declare("blue", "errors on verify");
        script.Wait(3);
        script.GameDay.Diagnose("blue", "db", "stopped");
        script.Wait(2.5);
        script.GameDay.Diagnose("blue", "cache", "stopped");
        script.GameDay.Note("blue", "restarting the cache");
        script.GameDay.Mitigate("blue", "restart", "cache");
        script.Wait(1);
        var run = script.EndRound(round, timeline: true);
        script.GameDay.Finish(stopped: false);

        var figure = Assert.Single(Parse(GameDayPage.Render(script.GameDay)).Descendants("figure"));

        var expected = script.GameDay.Timeline
            .Where(entry => entry.RoundId == round.Id && entry.Kind is TimelineKinds.Declare or TimelineKinds.Diagnose or TimelineKinds.Mitigate or TimelineKinds.Note)
            .Select(entry => (entry.Kind, Math.Round((entry.At - run.StartedAt).TotalSeconds, 3), entry.Correct)).ToList();
        var events = JsonNode.Parse(figure.Attribute("data-events")!.Value)!.AsArray()
            .Select(node => (node!["kind"]!.GetValue<string>(), node["seconds"]!.GetValue<double>(), node["correct"]?.GetValue<bool>())).ToList();
        Assert.Equal(expected, events);
        Assert.Equal(
            [("declare", 15.0, (bool?)true), ("diagnose", 18.0, false), ("diagnose", 20.5, true), ("note", 20.5, null), ("mitigate", 20.5, true)],
            events);

        // One vertical line per action, at its second on the x-axis the figure's attributes describe.
        double Attribute(string name) => double.Parse(figure.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        var (xMin, xMax, left, right) = (Attribute("data-x-min"), Attribute("data-x-max"), Attribute("data-plot-left"), Attribute("data-plot-right"));
        var declare = ChartRenderer.MarkerColor(TimelineKinds.Declare);
        var line = Assert.Single(figure.Descendants(Svg + "line").Concat(figure.Descendants(Svg + "path")),
            shape => string.Equals((string?)shape.Attribute("stroke"), declare, StringComparison.OrdinalIgnoreCase));
        var x = line.Attribute("x1") is { } x1 ? double.Parse(x1.Value, CultureInfo.InvariantCulture) : PathX(line);
        Assert.InRange(xMin + (x - left) / (right - left) * (xMax - xMin), 14.5, 15.5);
    }

    [Fact]
    public void Hostile_notes_are_encoded_in_the_timeline_and_the_events_stay_data()
    {
        var script = new GameDayScript(hidden: false);
        var round = script.StartRound();
        GameDayScript.Inject(round);
        script.Wait(4);
        script.GameDay.Note("\"><svg onload=alert(1)>", "<script>alert(1)</script>");
        script.Wait(1);
        script.EndRound(round, timeline: true);
        script.GameDay.Finish(stopped: false);

        var html = GameDayPage.Render(script.GameDay);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg onload", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Empty(ExternalReference().Matches(html));
        var figure = Assert.Single(Parse(html).Descendants("figure")); // still well-formed
        Assert.Contains("\"kind\":\"note\"", figure.Attribute("data-events")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hidden_game_day_before_the_reveal_shows_no_scenario()
    {
        var script = new GameDayScript(hidden: true);
        var round = script.StartRound();
        GameDayScript.Inject(round);
        script.Wait(8);
        script.GameDay.Declare("blue", "verify is slow");
        script.Wait(1);
        script.EndRound(round, timeline: true);

        var html = GameDayPage.Render(script.GameDay);

        Assert.False(script.GameDay.Revealed);
        Assert.DoesNotContain("redis-failure", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(round.Scenario.Title, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stop cache", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(round.Scenario.Definition.Learning.Teaches, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<figure", html, StringComparison.Ordinal); // its fault windows would name the fault
        var section = Round(Parse(html), round.Id);
        Assert.Equal("", (string?)section.Attribute("data-scenario"));
        Assert.Contains("class=\"detect\" data-seconds=\"8\"", html); // the score card is there
    }

    private static XElement Round(XDocument page, string roundId) =>
        page.Descendants("section").Single(section => (string?)section.Attribute("data-round-id") == roundId);

    /// <summary>A vertical line drawn as a path: <c>M x y L x y</c>.</summary>
    private static double PathX(XElement path) =>
        double.Parse(Regex.Match((string?)path.Attribute("d") ?? "", @"M\s*([-\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The page as XML: it has no void elements left open but <c>meta</c>, which are closed here for the parser.</summary>
    private static XDocument Parse(string html) =>
        XDocument.Parse(MetaTag().Replace(html.Replace("<!DOCTYPE html>", ""), match => match.Value.TrimEnd('>') + "/>"));

    [GeneratedRegex("""(src|href)\s*=\s*"https?://""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("<meta[^>]*(?<!/)>")]
    private static partial Regex MetaTag();
}
