using System.Text.Json.Nodes;

namespace VokeTag.Export.Tests;

/// <summary>
/// Every engine resource the export writes, against the engine's own CRD schema (Litmus 3.x, Chaos Mesh 2.8.3): a
/// Workflow's chaos templates against the spec of their kind (the Workflow CRD, 643 KB, is not among the references;
/// its own rules are in <see cref="EngineRules"/>). Reported as skipped where the CRDs are absent.
/// </summary>
public class CrdSchemaTests
{
    [SkippableTheory]
    [MemberData(nameof(Exports.Engines), MemberType = typeof(Exports))]
    public void Every_engine_resource_matches_its_crd(string engine)
    {
        var crds = CrdSchemas.Required();
        var resources = Exports.Manifests(Exports.Tree(engine)).Where(manifest => manifest.ApiVersion.Contains("chaos", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(resources);
        foreach (var manifest in resources)
        {
            var document = YamlAsJson.Convert(manifest.Node)!;
            var problems = manifest.Kind == "Workflow" ? TemplateProblems(crds, document) : crds.Problems(document);
            Assert.True(problems.Count == 0, $"{manifest}: {string.Join("; ", problems)}");
        }
    }

    [SkippableFact]
    public void Every_chaos_kind_the_export_writes_has_its_crd_here()
    {
        var crds = CrdSchemas.Required();

        Assert.Subset(new HashSet<string>(crds.Kinds),
            new HashSet<string> { "litmuschaos.io/v1alpha1/ChaosEngine", "litmuschaos.io/v1alpha1/ChaosExperiment", "chaos-mesh.org/v1alpha1/PodChaos",
                "chaos-mesh.org/v1alpha1/NetworkChaos", "chaos-mesh.org/v1alpha1/StressChaos" });
    }

    [SkippableTheory]
    [InlineData("litmus", "probe mode", "mode: Continuous", "mode: Continous")]
    [InlineData("litmus", "engine state", "engineState: active", "engineState: running")]
    [InlineData("litmus", "env value as a number", "value: \"20\"", "value: 20")]
    [InlineData("chaos-mesh", "unknown field", "  action: pod-failure", "  acton: pod-failure")]
    [InlineData("chaos-mesh", "mode", "  mode: all", "  mode: every")]
    public void A_schema_breach_is_caught(string engine, string what, string good, string bad)
    {
        var crds = CrdSchemas.Required();
        var manifest = Exports.Manifests(Exports.Tree(engine))
            .First(manifest => manifest.ApiVersion.Contains("chaos", StringComparison.Ordinal) && manifest.Kind != "Workflow" && manifest.Yaml.Contains(good, StringComparison.Ordinal));
        var broken = Exports.Document(manifest.Yaml.Replace(good, bad, StringComparison.Ordinal));

        Assert.True(crds.Problems(YamlAsJson.Convert(broken)!).Count > 0, $"{what}: {bad} passed the CRD schema of {manifest}");
    }

    private static IReadOnlyList<string> TemplateProblems(CrdSchemas crds, JsonNode workflow) =>
    [
        .. workflow["spec"]!["templates"]!.AsArray()
            .Where(template => template!["templateType"]!.GetValue<string>() is "PodChaos" or "NetworkChaos" or "StressChaos")
            .SelectMany(template =>
            {
                var kind = template!["templateType"]!.GetValue<string>();
                var field = char.ToLowerInvariant(kind[0]) + kind[1..];
                return crds.SpecProblems("chaos-mesh.org/v1alpha1", kind, template[field]!).Select(problem => $"template {template["name"]}: {problem}");
            }),
    ];
}
