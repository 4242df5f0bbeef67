using System.Text.Json.Nodes;

namespace VokeTag.Export.Tests;

/// <summary>The engines' webhook and run-time rules (<see cref="EngineRules"/>) hold for every exported resource, and catch what breaks them.</summary>
public class EngineRulesTests
{
    [Theory]
    [MemberData(nameof(Exports.Engines), MemberType = typeof(Exports))]
    public void Every_engine_resource_keeps_the_engine_rules(string engine)
    {
        var byFile = Exports.Manifests(Exports.Tree(engine)).GroupBy(manifest => manifest.File);
        foreach (var file in byFile)
        {
            var documents = file.Select(manifest => YamlAsJson.Convert(manifest.Node)!).ToList();
            foreach (var (manifest, document) in file.Zip(documents))
            {
                var problems = EngineRules.Problems(document, documents);
                Assert.True(problems.Count == 0, $"{manifest}: {string.Join("; ", problems)}");
            }
        }
    }

    [Fact]
    public void Multi_fault_and_delayed_experiments_become_workflows_with_a_deadline_on_every_template()
    {
        var tree = Exports.Tree(ExportEngine.ChaosMesh);
        var workflows = Exports.Manifests(tree).Where(manifest => manifest.Kind == "Workflow").Select(manifest => manifest.Name).Order().ToList();

        Assert.Equal(["all-pods", "multi-failure", "network-latency", "pod-failure", "region-outage"], workflows);
        Assert.Equal("PodChaos", Exports.Manifests(tree).Single(manifest => manifest.File == "experiments/redis-failure/chaos.yaml").Kind);
    }

    [Theory]
    [InlineData("PodChaos pod-failure without a duration", """{"kind":"PodChaos","spec":{"action":"pod-failure","mode":"all","selector":{}}}""", "needs a duration")]
    [InlineData("StressChaos without workers", """{"kind":"StressChaos","spec":{"mode":"all","selector":{},"stressors":{"cpu":{"workers":0,"load":80}},"duration":"20s"}}""", "workers above 0")]
    [InlineData("StressChaos without stressors", """{"kind":"StressChaos","spec":{"mode":"all","selector":{},"duration":"20s"}}""", "workers above 0")]
    [InlineData("NetworkChaos both without a target", """{"kind":"NetworkChaos","spec":{"action":"partition","mode":"all","selector":{},"direction":"both","duration":"20s"}}""", "needs a target")]
    [InlineData("NetworkChaos from without a target", """{"kind":"NetworkChaos","spec":{"action":"delay","delay":{"latency":"10ms"},"mode":"all","selector":{},"direction":"from"}}""", "needs a target")]
    [InlineData("fixed-percent without a value", """{"kind":"PodChaos","spec":{"action":"pod-kill","mode":"fixed-percent","selector":{}}}""", "percentage from 1 to 100")]
    [InlineData("random-max-percent above 100", """{"kind":"PodChaos","spec":{"action":"pod-kill","mode":"random-max-percent","value":"150","selector":{}}}""", "percentage from 1 to 100")]
    [InlineData("a duration without a unit", """{"kind":"PodChaos","spec":{"action":"pod-failure","mode":"all","selector":{},"duration":"30"}}""", "not a duration")]
    [InlineData("a Workflow template without a deadline", """{"kind":"Workflow","spec":{"entry":"e","templates":[{"name":"e","templateType":"Parallel","deadline":"20s","children":["w"]},{"name":"w","templateType":"Suspend"}]}}""", "needs a deadline")]
    [InlineData("a Workflow child that is not there", """{"kind":"Workflow","spec":{"entry":"e","templates":[{"name":"e","templateType":"Serial","deadline":"20s","children":["gone"]}]}}""", "names no template")]
    [InlineData("a Litmus probe timeout in seconds as a number", """{"kind":"ChaosEngine","spec":{"chaosServiceAccount":"sa","experiments":[{"name":"pod-delete","spec":{"probe":[{"name":"p","runProperties":{"probeTimeout":5,"interval":"1s"}}]}}]}}""", "duration string")]
    [InlineData("a Litmus probe interval without a unit", """{"kind":"ChaosEngine","spec":{"chaosServiceAccount":"sa","experiments":[{"name":"pod-delete","spec":{"probe":[{"name":"p","runProperties":{"probeTimeout":"5s","interval":"2"}}]}}]}}""", "duration string")]
    [InlineData("a Litmus engine without its experiment", """{"kind":"ChaosEngine","spec":{"chaosServiceAccount":"sa","experiments":[{"name":"pod-delete","spec":{}}]}}""", "ChaosExperiment is not in the same file")]
    public void A_breach_of_a_rule_is_caught(string what, string json, string expected)
    {
        var document = JsonNode.Parse(json)!;
        var account = JsonNode.Parse("""{"kind":"ServiceAccount","metadata":{"name":"sa"}}""")!;
        var experiment = JsonNode.Parse("""{"kind":"ChaosExperiment","metadata":{"name":"pod-delete"}}""")!;
        var file = what.Contains("without its experiment", StringComparison.Ordinal) ? new[] { document, account } : [document, account, experiment];

        var problems = EngineRules.Problems(document, file);

        Assert.True(problems.Any(problem => problem.Contains(expected, StringComparison.Ordinal)), $"{what}: {string.Join("; ", problems)}");
    }
}
