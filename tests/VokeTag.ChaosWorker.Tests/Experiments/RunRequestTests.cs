using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Tests.Experiments;

/// <summary>Every bad run request is refused with the field and the allowed values named; nothing is resolved to run.</summary>
public class RunRequestTests
{
    private static readonly ExperimentCatalog Catalog = BuiltIn.Catalog;

    public static TheoryData<RunRequest, string> BadRequests => new()
    {
        { new RunRequest(null), "experiments is empty" },
        { new RunRequest([]), "experiments is empty" },
        { new RunRequest(["disk-full"]), "experiment 'disk-full' is unknown; known: " },
        { new RunRequest(["redis-failure", "nope"]), "experiment 'nope' is unknown" },
        { new RunRequest([""]), "experiment '' is unknown" },
        { new RunRequest(["redis-failure"], BaselineSeconds: -1), "baselineSeconds is -1" },
        { new RunRequest(["redis-failure"], BaselineSeconds: 0), "baselineSeconds is 0" },
        { new RunRequest(["redis-failure"], ImpactSeconds: double.NaN), "impactSeconds is NaN" },
        { new RunRequest(["redis-failure"], ImpactSeconds: double.PositiveInfinity), "impactSeconds is" },
        { new RunRequest(["redis-failure"], RecoverySeconds: -5), "recoverySeconds is -5" },
        { new RunRequest(["redis-failure"], SustainSeconds: 0), "sustainSeconds is 0" },
        { new RunRequest(["redis-failure"], BaselineSeconds: 0.5), "baseline is 0.5 s; allowed 1 to 600 s" },
        { new RunRequest(["redis-failure"], ImpactSeconds: 601), "impactSeconds is 601; allowed a number of seconds above 0 up to 600" },
        { new RunRequest(["redis-failure"], RecoverySeconds: 100_000), "recoverySeconds is 100000; allowed a number of seconds above 0 up to 600" },
        { new RunRequest(["redis-failure"], BaselineSeconds: 1e308), "baselineSeconds is 1E+308" }, // found by the fuzz suite: was a 500
        { new RunRequest(["redis-failure"], SustainSeconds: double.MaxValue), "sustainSeconds is" },
        { new RunRequest(["redis-failure"], RecoverySeconds: 40, SustainSeconds: 50), "sustainFor is 50 s" },
        { new RunRequest(["pod-failure"], ImpactSeconds: 2), "pod-failure: faults[0] (kill) is injected 2 s into the impact phase, which this run makes 2 s long; allowed: an impact phase longer than that." },
        { new RunRequest(["redis-failure"], RatePerSecond: 0), "RatePerSecond is 0" },
        { new RunRequest(["redis-failure"], RatePerSecond: -3), "RatePerSecond is -3" },
        { new RunRequest(["redis-failure"], RatePerSecond: 1e9), "RatePerSecond is 1000000000" },
        { new RunRequest(["redis-failure"], RatePerSecond: double.NaN), "RatePerSecond is NaN" },
        { new RunRequest(["redis-failure"], Thresholds: new() { ["speed"] = 1 }), "threshold 'speed' is not a criterion of this experiment; known: fallback-share" },
        { new RunRequest(["redis-failure"], Thresholds: new() { ["error-rate"] = -0.1 }), "threshold 'error-rate' is -0.1" },
        { new RunRequest(["redis-failure"], Thresholds: new() { ["error-rate"] = double.NaN }), "threshold 'error-rate' is NaN" },
        { new RunRequest(["redis-failure"], Thresholds: new() { ["guard-p95"] = -1 }), "threshold 'guard-p95' is -1" },
        { new RunRequest(["redis-failure"], Thresholds: new() { ["breaker-opened"] = 1 }), "redis-failure: threshold 'breaker-opened' is not a criterion" },
        { new RunRequest(["redis-failure"], Thresholds: new() { ["ledger-missing"] = -1 }), "threshold 'ledger-missing' is -1" },
        { new RunRequest(["all"], Thresholds: new() { ["fallback-share"] = 0.5 }), "database-failure: threshold 'fallback-share' is not a criterion" },
        { new RunRequest(["database-failure"], Thresholds: new() { ["guard-error-rate"] = 0.1 }), "threshold 'guard-error-rate' is not a criterion" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void A_bad_request_names_the_field_and_the_allowed_values(RunRequest request, string named)
    {
        var (_, problems) = request.Resolve(Catalog);

        Assert.Contains(problems, problem => problem.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void A_good_request_resolves_with_its_overrides()
    {
        var (runs, problems) = new RunRequest(["redis-failure", "pod-failure"], ImpactSeconds: 30,
            Thresholds: new() { ["recovery-time"] = 20 }).Resolve(Catalog);

        Assert.Empty(problems);
        Assert.Equal(["redis-failure", "pod-failure"], runs.Select(run => run.Experiment.Name));
        Assert.All(runs, run => Assert.Equal(TimeSpan.FromSeconds(30), run.Options.Impact));
        Assert.All(runs, run => Assert.Equal(20, run.Options.Threshold("recovery-time", 30)));
    }
}
