using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Reports;

/// <summary>A Redis-failure-shaped run built by hand: 10 s baseline, the cache stopped from 12.3 s to 32.9 s, recovery to 50 s.</summary>
internal static class SyntheticRuns
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static ExperimentRun RedisFailure(string title = "Redis failure", string runId = "run-42", bool failed = true)
    {
        var recorder = new TimelineRecorder(Start);
        var phases = new List<PhaseRecord>
        {
            new("baseline", Start.AddSeconds(2), Start.AddSeconds(12), PhaseStatistics.Empty),
            new("impact", Start.AddSeconds(12.5), Start.AddSeconds(32.5), PhaseStatistics.Empty),
            new("recovery", Start.AddSeconds(33), Start.AddSeconds(50), PhaseStatistics.Empty),
        };
        foreach (var phase in phases)
        {
            var seconds = (phase.EndedAt - phase.StartedAt).TotalSeconds;
            for (var at = 0.0; at < seconds; at += 0.1)
            {
                var impact = phase.Name == "impact";
                recorder.Add(phase.StartedAt, new LoadSample(RequestKind.Verify, TimeSpan.FromSeconds(at), TimeSpan.FromMilliseconds(impact ? 40 : 5),
                    impact && at % 2 < 0.1 ? 500 : 200, ServedFrom: impact ? "fallback" : "cache", Replica: "api-a"));
            }
        }

        for (var second = 2; second < 50; second++)
        {
            var open = second is >= 13 and < 34;
            recorder.Add(Start.AddSeconds(second), new Api.Diagnostics(new() { ["redis"] = open ? "open" : "closed", ["postgres"] = "closed" },
                CpuShare: 0.05, MemoryShare: 0.1, PostgresPool: new Api.PoolReading(open ? 8 : 2, 20, 0), Replica: "api-a"));
        }

        var fallback = new Criterion("fallback-share", "System successfully falls back to database", _ => 0.5, VokeTag.Experiments.Comparison.GreaterThan, 0.8, "%")
        {
            Actions = ["Review circuit breaker configuration", "Verify fallback logic in code"],
        };
        var errors = new Criterion("error-rate", "Error rate stays low", _ => 0.01, VokeTag.Experiments.Comparison.LessThan, 0.1, "%");
        var hypothesis = new Hypothesis("When Redis fails, reads fall back", [fallback, errors]);
        var results = new List<CriterionResult> { new(fallback, failed ? 0.5 : 0.9, !failed), new(errors, 0.01, true) };
        return new ExperimentRun(runId, "redis-failure", title, hypothesis.Statement, failed ? RunStatus.Failed : RunStatus.Passed, Start, Start.AddSeconds(51), phases,
            [
                new FaultRecord("inject", "stop", "cache", Start.AddSeconds(12.3), null),
                new FaultRecord("rollback", "stop", "cache", Start.AddSeconds(32.9), null),
            ],
            new RunFigures(PhaseStatistics.Empty, PhaseStatistics.Empty, PhaseStatistics.Empty, TimeSpan.FromSeconds(3),
                new Dictionary<string, double> { ["ledger-acknowledged"] = 40, ["ledger-found"] = 40, ["ledger-missing"] = 0 }),
            new HypothesisVerdict(hypothesis, results), null)
        {
            Timeline = recorder.Build(phases),
        };
    }
}
