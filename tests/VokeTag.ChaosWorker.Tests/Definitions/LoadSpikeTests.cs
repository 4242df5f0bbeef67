using VokeTag.ChaosWorker.Definitions;
using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Tests.Definitions;

public sealed class LoadSpikeTests
{
    private const string Spike = """
        name: surge
        title: Surge
        description: A surge.
        hypothesis: Verifications stay fast.
        load:
          rate: 30
        faults:
          - kind: spike
            target: api
            factor: 10
            mix: { verify: 90, history: 10, scan: 0 }
        criteria:
          - name: fast
            statement: Fast
            metric: p95
            kind: verify
            comparison: "<"
            threshold: 500ms
        """;

    [Fact]
    public void A_spike_multiplies_the_impact_phases_rate_and_gives_it_its_mix_and_leaves_the_other_phases_alone()
    {
        var experiment = new FileExperiment(ExperimentFileReader.Parse(Spike, "surge.yaml").Definition!);
        var options = experiment.Defaults(new RunOptions());

        var impact = experiment.ImpactLoad(options);

        Assert.Equal(300, impact.RatePerSecond);
        Assert.Equal((90, 10, 0), (impact.VerifyPercent, impact.HistoryPercent, impact.ScanPercent));
        Assert.Equal(30, options.Load.RatePerSecond);
        Assert.Equal((70, 20, 10), (options.Load.VerifyPercent, options.Load.HistoryPercent, options.Load.ScanPercent));
    }

    [Fact]
    public void A_run_whose_rate_the_spike_would_push_past_the_cap_is_refused_naming_the_impact_phase()
    {
        var folder = Directory.CreateTempSubdirectory("voketag-spike-");
        try
        {
            var file = Path.Combine(folder.FullName, "surge.yaml");
            File.WriteAllText(file, Spike);

            var (_, problems) = new RunRequest([file], RatePerSecond: 2400).Resolve(new ExperimentCatalog(folder.FullName));

            Assert.Contains("surge: impact phase load: RatePerSecond is 24000; allowed above 0 up to 20000.", problems);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
