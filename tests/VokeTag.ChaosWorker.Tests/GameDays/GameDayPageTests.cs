using VokeTag.ChaosWorker.GameDays;

namespace VokeTag.ChaosWorker.Tests.GameDays;

/// <summary>gameday.html: the revealed scenario, the score card, the timeline with every action, the learning notes; hostile text encoded.</summary>
public class GameDayPageTests
{
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
}
