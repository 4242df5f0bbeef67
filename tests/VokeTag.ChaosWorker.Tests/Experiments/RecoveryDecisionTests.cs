using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Experiments;

/// <summary>When a recovery phase may end before its limit: every recovery criterion can be decided.</summary>
public class RecoveryDecisionTests
{
    private static readonly RunOptions Options = new() { SustainFor = TimeSpan.FromSeconds(2) };
    private static readonly PhaseStatistics TwoReplicasServed = PhaseStatistics.From(
        [Answer(TimeSpan.Zero, "api-a"), Answer(TimeSpan.FromMilliseconds(50), "api-b")], TimeSpan.FromSeconds(1));

    [Fact]
    public void Recovery_is_decided_once_the_steady_state_held_for_the_sustained_window_plus_the_margin()
    {
        var experiment = BuiltIn.Experiment("redis-failure");
        var needed = Options.SustainFor + ChaosExperiment.RecoveryMargin; // 4 s

        Assert.False(experiment.RecoveryDecided(Progress(Steady(from: TimeSpan.Zero, until: needed - TimeSpan.FromMilliseconds(200))), Options));
        Assert.True(experiment.RecoveryDecided(Progress(Steady(from: TimeSpan.Zero, until: needed + TimeSpan.FromMilliseconds(100))), Options));
    }

    [Fact]
    public void Errors_before_the_streak_move_the_decision_later()
    {
        var experiment = BuiltIn.Experiment("redis-failure");
        var failing = Enumerable.Range(0, 30).Select(i => Answer(TimeSpan.FromMilliseconds(100 * i), "api-a", status: 503));
        var healthyFromThree = Steady(from: TimeSpan.FromSeconds(3), until: TimeSpan.FromSeconds(6.5));

        Assert.False(experiment.RecoveryDecided(Progress([.. failing, .. healthyFromThree]), Options));
        Assert.True(experiment.RecoveryDecided(Progress([.. failing, .. Steady(from: TimeSpan.FromSeconds(3), until: TimeSpan.FromSeconds(7.2))]), Options));
    }

    [Fact]
    public void Pod_failure_waits_until_both_replicas_serve_again()
    {
        var experiment = BuiltIn.Experiment("pod-failure");
        var oneReplica = Steady(from: TimeSpan.Zero, until: TimeSpan.FromSeconds(6));
        var bothAgain = oneReplica.Select((sample, index) => index % 3 == 0 ? sample with { Replica = "api-b" } : sample).ToList();

        Assert.False(experiment.RecoveryDecided(Progress(oneReplica), Options));
        Assert.True(experiment.RecoveryDecided(Progress(bothAgain), Options));
    }

    [Fact]
    public void High_cpu_waits_until_every_replica_of_the_baseline_answers_and_nothing_is_shed()
    {
        var experiment = BuiltIn.Experiment("high-cpu");
        var oneReplica = Steady(from: TimeSpan.Zero, until: TimeSpan.FromSeconds(6));
        var both = oneReplica.Select((sample, index) => index % 2 == 0 ? sample with { Replica = "api-b" } : sample).ToList();
        var stillShedding = both.Select((sample, index) => index % 10 == 0
            ? sample with { StatusCode = 503, ShedReason = "cpu", Kind = RequestKind.History } : sample).ToList();

        Assert.False(experiment.RecoveryDecided(Progress(oneReplica), Options));
        Assert.True(experiment.RecoveryDecided(Progress(both), Options));
        Assert.False(experiment.RecoveryDecided(Progress(stillShedding), Options));
    }

    private static RecoveryProgress Progress(IReadOnlyCollection<LoadSample> recovery) => new(recovery, TwoReplicasServed);

    private static List<LoadSample> Steady(TimeSpan from, TimeSpan until)
    {
        var samples = new List<LoadSample>();
        for (var at = from; at < until; at += TimeSpan.FromMilliseconds(50))
        {
            samples.Add(Answer(at, "api-a"));
        }

        return samples;
    }

    private static LoadSample Answer(TimeSpan at, string replica, int status = 200) =>
        new(RequestKind.Verify, at, TimeSpan.FromMilliseconds(5), status, Replica: replica);
}
