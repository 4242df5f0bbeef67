using System.Text.Json;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Tests.Definitions;

/// <summary>
/// The six experiments that were C# classes run from files now. Their dry-run plans were captured from the classes
/// before they were removed (<c>GoldenPlans/</c>: default options, and short phases with a threshold override), and
/// each file must still give them byte for byte — apart from the criteria added to the files since, each named here.
/// </summary>
public sealed class BuiltInPlanTests
{
    private static readonly string[] FormerClassNames = ["redis-failure", "database-failure", "network-latency", "pod-failure", "high-cpu", "multi-failure"];

    public static TheoryData<string> FormerClasses => new(FormerClassNames);

    /// <summary>Criteria and guardrails the files gained after the classes were gone (the design document's CPU, memory and pool limits).</summary>
    private static readonly Dictionary<string, string[]> AddedSince = new()
    {
        ["redis-failure"] = ["cpu-below-80", "db-cpu-below-80"],
        ["network-latency"] = ["pool-not-exhausted", "guard-db-pool-waiting"],
        ["high-cpu"] = ["no-oom", "guard-api-memory"],
    };

    private static readonly RunPlanner Planner = new(
        new LabControlClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1") }, TimeProvider.System),
        new ApiChaosHooks(new Uri("http://127.0.0.1:1"), "secret"), TimeProvider.System);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [Theory]
    [MemberData(nameof(FormerClasses))]
    public void A_file_gives_the_dry_run_plan_its_class_gave(string name)
    {
        var experiment = BuiltIn.Experiment(name);

        var plan = Planner.Plan(experiment, experiment.Defaults(new RunOptions()));

        Assert.Equal(Golden($"{name}.json"), AsTheClassPlanned(name, plan));
    }

    [Theory]
    [MemberData(nameof(FormerClasses))]
    public void A_file_gives_the_plan_its_class_gave_with_a_runs_own_settings(string name)
    {
        var (runs, problems) = new RunRequest([name], BaselineSeconds: 3, ImpactSeconds: 7, RatePerSecond: 40,
            Thresholds: new() { ["status-500"] = 2 }).Resolve(BuiltIn.Catalog);

        Assert.Empty(problems);
        Assert.Equal(Golden($"{name}.short.json"), AsTheClassPlanned(name, Planner.Plan(runs[0].Experiment, runs[0].Options)));
    }

    [Theory]
    [MemberData(nameof(FormerClasses))]
    public void The_same_experiment_written_in_json_gives_the_same_plan(string name)
    {
        var json = YamlAsJson.Convert(File.ReadAllText(Path.Combine(BuiltIn.Folder, $"{name}.yaml")))!.Value.GetRawText();

        var result = ExperimentFileReader.Parse(json, $"{name}.json");

        Assert.Empty(result.Problems);
        var experiment = new ChaosWorker.Definitions.FileExperiment(result.Definition!);
        Assert.Equal(Golden($"{name}.json"), AsTheClassPlanned(name, Planner.Plan(experiment, experiment.Defaults(new RunOptions()))));
    }

    [Fact]
    public void Every_file_in_the_experiments_folder_can_run()
    {
        Assert.Empty(BuiltIn.Catalog.Invalid.SelectMany(file => file.Problems).Select(problem => problem.ToString()));
        Assert.Superset(FormerClassNames.ToHashSet(), BuiltIn.Catalog.All.Select(experiment => experiment.Name).ToHashSet());
    }

    [Fact]
    public void Every_metric_of_the_vocabulary_can_be_measured()
    {
        Assert.Equal(Metrics.All.Select(metric => metric.Name).Order(), ChaosWorker.Definitions.MetricMeasures.Measured.Order());
    }

    [Fact]
    public void The_criteria_added_since_are_in_the_files()
    {
        foreach (var (name, added) in AddedSince)
        {
            var experiment = BuiltIn.Experiment(name);
            Assert.Superset(added.ToHashSet(), experiment.HypothesisFor(new RunOptions()).Criteria.Select(criterion => criterion.Name)
                .Concat(experiment.Guardrails(new RunOptions()).Select(guardrail => guardrail.Name)).ToHashSet());
        }
    }

    /// <summary>The plan as JSON without the criteria and guardrails the file gained after its class was gone.</summary>
    private static string AsTheClassPlanned(string name, RunPlan plan)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(plan, Json))!;
        foreach (var list in new[] { json["criteria"]!.AsArray(), json["guardrails"]!.AsArray() })
        {
            foreach (var added in list.Where(item => AddedSince.GetValueOrDefault(name, []).Contains(item!["name"]!.GetValue<string>())).ToList())
            {
                list.Remove(added);
            }
        }

        return json.ToJsonString(Json);
    }

    private static string Golden(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Definitions", "GoldenPlans", file));
}
