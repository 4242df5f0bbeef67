using Microsoft.Extensions.Time.Testing;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.GameDays;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.GameDays;

/// <summary>
/// A game day played on a fake clock without a lab: rounds start, their fault is "injected", the team acts, and each
/// round ends with a synthetic run record, as <see cref="GameDayCoordinator"/> would drive it.
/// </summary>
public sealed class GameDayScript
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    public GameDay GameDay { get; }

    public GameDayScript(string scenario = "redis-failure", int rounds = 1, bool hidden = true, double limitSeconds = 300)
    {
        var plan = new GameDayRequest([scenario], rounds, hidden, limitSeconds, Seed: 1).Resolve(BuiltIn.Catalog).Plan!;
        GameDay = new GameDay("gd-abc123", plan, Time);
        GameDay.Started();
    }

    public GameDayRound StartRound(int number = 1)
    {
        var roundId = $"{GameDay.Id}-r{number}";
        var control = new RoundControl(roundId, GameDay.Hidden, Time, _ => GameDay.FaultInjected(roundId));
        return GameDay.StartRound(number, roundId, GameDay.Plan.Rounds[number - 1], control);
    }

    /// <summary>What the runner does when the fault goes in.</summary>
    public static void Inject(GameDayRound round)
    {
        round.Control.Entered("impact");
        round.Control.FaultInjected();
    }

    public void Wait(double seconds) => Time.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Ends the round with a run whose impact phase lasted from the injection until now, with those failures, and that recovery.</summary>
    /// <param name="timeline">Whether the run recorded a per-second timeline (10 requests a second, half failing while the fault is live).</param>
    public ExperimentRun EndRound(GameDayRound round, int requests = 1200, int failed = 60, double? recoverySeconds = 4, bool timeline = false)
    {
        var injected = round.Control.InjectedAt ?? Time.GetUtcNow();
        var now = Time.GetUtcNow();
        var impact = PhaseStatistics.Empty with { Requests = requests, ErrorRate = (double)failed / requests };
        var run = new ExperimentRun(round.Id, round.Scenario.Name, round.Scenario.Title, "hypothesis", RunStatus.Passed, round.StartedAt, now + TimeSpan.FromSeconds(10),
            [new PhaseRecord("impact", injected, now, impact), new PhaseRecord("recovery", now, now + TimeSpan.FromSeconds(10), PhaseStatistics.Empty)],
            [new FaultRecord("inject", "stop", "cache", injected, null), new FaultRecord("rollback", "stop", "cache", now, null)],
            new RunFigures(PhaseStatistics.Empty, impact, PhaseStatistics.Empty, recoverySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, new Dictionary<string, double>()),
            null, null)
        {
            Timeline = timeline ? Timeline(round.StartedAt, injected, now, now + TimeSpan.FromSeconds(10)) : null,
        };
        GameDay.EndRound(round, run);
        return run;
    }

    private static RunTimeline Timeline(DateTimeOffset start, DateTimeOffset injected, DateTimeOffset rolledBack, DateTimeOffset end)
    {
        var (from, to, last) = ((int)(injected - start).TotalSeconds, (int)(rolledBack - start).TotalSeconds, (int)(end - start).TotalSeconds);
        return new RunTimeline([.. Enumerable.Range(0, last).Select(second =>
        {
            var live = second >= from && second < to;
            return new TimelinePoint(second, live ? "impact" : "recovery", 10, 5, live ? 400 : 8, live ? 900 : 12, live ? 5 : 0, 0,
                new Dictionary<string, int>(), new Dictionary<int, int>(), new Dictionary<string, int>(), new Dictionary<string, int>(),
                new Dictionary<string, string>(), new Dictionary<string, ProcessShare>(), new Dictionary<string, int>());
        })]);
    }
}
