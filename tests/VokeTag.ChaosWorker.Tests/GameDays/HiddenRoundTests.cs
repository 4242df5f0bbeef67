using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.GameDays;
using VokeTag.ChaosWorker.Telemetry;

namespace VokeTag.ChaosWorker.Tests.GameDays;

/// <summary>Until the reveal a hidden round names itself, never its scenario: labels, spans, the game day's view.</summary>
public class HiddenRoundTests
{
    private const string Scenario = "redis-failure";

    [Fact]
    public void A_hidden_round_is_labelled_with_its_round_id_and_a_shown_one_with_its_experiment()
    {
        var experiment = BuiltIn.Experiment(Scenario);
        var script = new GameDayScript();
        var hidden = new RunOptions { Round = new RoundControl("gd-abc123-r1", hidden: true, script.Time) };
        var shown = new RunOptions { Round = new RoundControl("gd-abc123-r1", hidden: false, script.Time) };

        Assert.Equal("gd-abc123-r1", hidden.LabelFor(experiment, "gd-abc123-r1"));
        Assert.Equal(Scenario, shown.LabelFor(experiment, "gd-abc123-r1"));
        Assert.Equal(Scenario, new RunOptions().LabelFor(experiment, "run-1"));
        Assert.Equal("Lab control refused gd-abc123-r1's plan", hidden.Masked($"Lab control refused {Scenario}'s plan", experiment, "gd-abc123-r1"));
    }

    [Fact]
    public void The_spans_of_a_hidden_round_name_neither_the_scenario_nor_the_fault()
    {
        var names = new List<string>();
        var tags = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ChaosTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                names.Add(activity.DisplayName);
                tags.AddRange(activity.Tags.Select(tag => $"{tag.Key}={tag.Value}"));
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var telemetry = new ChaosTelemetry(new PlainMeterFactory());
        var options = new RunOptions { Round = new RoundControl("gd-abc123-r1", hidden: true, TimeProvider.System) };

        using (telemetry.StartRun(options.LabelFor(BuiltIn.Experiment(Scenario), "gd-abc123-r1"), "gd-abc123-r1"))
        using (telemetry.StartHiddenFaultAction("inject", "gd-abc123-r1"))
        {
        }

        Assert.Contains("inject gd-abc123-r1", names);
        Assert.Contains(names, name => name.StartsWith("chaos gd-abc123-r1", StringComparison.Ordinal));
        Assert.DoesNotContain(names.Concat(tags), text => text.Contains(Scenario, StringComparison.OrdinalIgnoreCase)
            || text.Contains("stop", StringComparison.Ordinal) || text.Contains("cache", StringComparison.Ordinal));
    }

    [Fact]
    public void The_game_day_view_shows_no_scenario_until_the_reveal_and_everything_after()
    {
        var script = new GameDayScript();
        var round = script.StartRound();
        GameDayScript.Inject(round);
        script.GameDay.Note("observer", "cache looks odd");
        script.EndRound(round);

        var during = JsonSerializer.Serialize(GameDayView.Of(script.GameDay), GameDayCoordinator.JsonOptions);
        Assert.DoesNotContain(Scenario, during, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Redis failure", during, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stop cache", during, StringComparison.Ordinal);
        Assert.Contains("\"scenario\": null", during, StringComparison.Ordinal);

        script.GameDay.Finish(stopped: false);
        var after = GameDayView.Of(script.GameDay);
        Assert.True(after.Revealed);
        Assert.Equal(Scenario, after.Rounds[0].Scenario);
        Assert.Contains(after.Timeline, entry => entry.Kind == TimelineKinds.FaultInjected && entry.Secret == "stop cache");
        Assert.Contains(after.Timeline, entry => entry.Kind == TimelineKinds.Reveal && entry.Text.Contains(Scenario, StringComparison.Ordinal));
    }

    [Fact]
    public void A_shown_game_day_names_its_scenarios_from_the_start()
    {
        var script = new GameDayScript(hidden: false);
        script.StartRound();

        Assert.Equal(Scenario, GameDayView.Of(script.GameDay).Rounds[0].Scenario);
    }

    private sealed class PlainMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
