namespace VokeTag.Export.Tests;

/// <summary>
/// Every fault kind of experiment files, mapped to each engine or named as having no equivalent: the table the README
/// shows (Running on Kubernetes).
/// </summary>
public class FaultMappingTests
{
    public static TheoryData<string, string, string, string?, string?> Kinds => new()
    {
        { "stop", "cache", "both", "pod-delete of statefulset redis every 5s", "PodChaos pod-failure of every redis pod" },
        { "kill", "api", "both", "pod-delete (force, once) of 1 of 2 api pods", "PodChaos pod-kill (once, grace period 0) of 1 of 2 api pods" },
        { "latency", "cache-proxy", "both", "pod-network-latency of 200ms ± 20ms", "NetworkChaos delay of 100ms ± 10ms between the api pods and redis, direction both" },
        { "latency", "db-proxy", "upstream", "pod-network-latency of 100ms ± 10ms", "NetworkChaos delay of 100ms ± 10ms between the api pods and postgres, direction to" },
        { "latency", "db-proxy", "downstream", null, "NetworkChaos delay of 100ms ± 10ms between the api pods and postgres, direction from" },
        { "bandwidth", "db-proxy", "both", null, "NetworkChaos bandwidth of 1000 bytes/s" },
        { "blackhole", "cache-proxy", "both", "pod-network-loss of 100% (a blackhole) on every api pod's packets to redis", "NetworkChaos partition between the api pods and redis, direction both" },
        { "reset", "cache-proxy", "both", null, null },
        { "down", "db-proxy", "both", null, null },
        { "cpu", "api", "both", "pod-cpu-hog of every api pod (2): 80% of its 1 core", "StressChaos of every api pod (2): 1 worker at 80%" },
        { "call-error", "cache", "both", null, null },
        { "call-latency", "db", "both", null, null },
        { "redeploy", "api", "both", null, null },
        { "spike", "api", "both", null, null },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_fault_kind_maps_to_the_engines_equivalent_or_to_none(string kind, string target, string direction, string? litmus, string? chaosMesh)
    {
        var fault = new FaultDefinition(kind, target, null, Latency: TimeSpan.FromMilliseconds(100), Jitter: TimeSpan.FromMilliseconds(10),
            Direction: direction, BytesPerSecond: 1000, Share: 0.8, Factor: 10, Setting: "pool-size-1");
        var phases = new PhaseDefinition(null, null, null, null);

        var (_, litmusMapping) = VokeTag.Experiments.Kubernetes.Litmus.LitmusFaults.Map(fault, phases);
        var (_, chaosMeshMapping) = VokeTag.Experiments.Kubernetes.ChaosMesh.ChaosMeshFaults.Map(fault, phases);

        Check(litmus, litmusMapping);
        Check(chaosMesh, chaosMeshMapping);
    }

    [Fact]
    public void The_table_covers_every_fault_kind()
    {
        Assert.Equal(FaultKinds.All.Select(kind => kind.Name).Order(), Kinds.Select(row => (string)row[0]).Distinct().Order());
    }

    [Fact]
    public void Network_faults_on_the_api_pods_with_the_same_settings_become_one_litmus_engine_towards_both_servers()
    {
        var engines = Exports.Manifests(Exports.Tree(ExportEngine.Litmus)).Where(manifest => manifest.File == "experiments/network-latency/chaos.yaml" && manifest.Kind == "ChaosEngine").ToList();

        var engine = Assert.Single(engines);
        Assert.Contains("value: redis,postgres", engine.Yaml, StringComparison.Ordinal);
        Assert.Contains("value: \"2000\"", engine.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_network_faults_on_the_api_pods_at_once_are_not_exported_for_litmus()
    {
        var faults = new[]
        {
            new FaultDefinition("latency", "cache-proxy", null, Latency: TimeSpan.FromMilliseconds(100)),
            new FaultDefinition("blackhole", "db-proxy", null),
        };
        var experiment = new ExperimentDefinition("mixed", "Mixed", "", "", new LearningNotes([], ""), new LoadDefinition(null, null, null, null),
            new PhaseDefinition(null, null, null, null), faults, new SteadyStateDefinition(null, false), [], [], "mixed.yaml");

        var resources = new VokeTag.Experiments.Kubernetes.Litmus.LitmusExport().Export(experiment);

        Assert.False(resources.Exported);
        Assert.Contains(resources.Faults, fault => fault.NoEquivalent?.Contains("one network fault on a pod at a time", StringComparison.Ordinal) == true);
        Assert.True(new VokeTag.Experiments.Kubernetes.ChaosMesh.ChaosMeshExport().Export(experiment).Exported);
    }

    private static void Check(string? expected, FaultMapping mapping)
    {
        if (expected is null)
        {
            Assert.False(mapping.HasEquivalent, mapping.ToString());
            Assert.False(string.IsNullOrWhiteSpace(mapping.NoEquivalent));
        }
        else
        {
            Assert.True(mapping.HasEquivalent, mapping.ToString());
            Assert.StartsWith(expected, mapping.Equivalent, StringComparison.Ordinal);
        }
    }
}
