using Json.Schema;

namespace VokeTag.ChaosWorker.Tests.Definitions;

/// <summary>
/// Malformed experiment files, each with the exact problems the loader must report (file:line:column: path: found,
/// allowed), and whether the JSON Schema catches it too ("schema and loader") or cannot ("loader only": cross-field
/// rules, ranges inside a pattern) — so the schema editors use and the loader never drift apart.
/// </summary>
public sealed class MalformedFileTests
{
    /// <summary>The smallest valid file of the lab's own format; other tests start from it too.</summary>
    internal const string Valid = """
        name: tiny
        title: Tiny
        description: A small experiment.
        hypothesis: Nothing breaks.
        faults:
          - kind: stop
            target: cache
        criteria:
          - name: few-errors
            statement: Few errors
            metric: error-rate
            comparison: "<"
            threshold: 10%
        """;

    public enum Caught
    {
        SchemaAndLoader,
        LoaderOnly,
    }

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFile(Path.Combine(BuiltIn.Folder, ExperimentFolder.SchemaFile)));

    public static TheoryData<string, string, Caught, string> Cases => new()
    {
        { "not YAML", "name: [tiny", Caught.SchemaAndLoader,
            "tiny.yaml:2:1: is not valid YAML or JSON: While parsing a flow sequence, did not find expected ',' or ']'." },
        { "a list, not an experiment", "- name: tiny", Caught.SchemaAndLoader,
            "tiny.yaml:1:1: found a list; expected a mapping with: $schema, name, title, description, hypothesis, learning, load, phases, faults, steadyState, criteria, guardrails." },
        { "no name", Valid.Replace("name: tiny\n", ""), Caught.SchemaAndLoader,
            "tiny.yaml:1:1: name: is missing; every experiment states: name, title, description, hypothesis, faults, criteria." },
        { "a misspelt key", Valid + "\nsteady-state:\n  notShed: true", Caught.SchemaAndLoader,
            "tiny.yaml:14:1: steady-state: unknown key 'steady-state' (did you mean 'steadyState'?); allowed: $schema, name, title, description, hypothesis, learning, load, phases, faults, steadyState, criteria, guardrails." },
        { "a name in capitals", Valid.Replace("name: tiny", "name: Tiny"), Caught.SchemaAndLoader,
            "tiny.yaml:1:7: name: found 'Tiny'; an experiment name is lowercase letters, digits and single hyphens (e.g. redis-failure), up to 60 characters, and not ledger-missing, ledger-duplicates, all." },
        { "the reserved name all", Valid.Replace("name: tiny", "name: all"), Caught.SchemaAndLoader,
            "tiny.yaml:1:7: name: found 'all'; an experiment name is lowercase letters, digits and single hyphens (e.g. redis-failure), up to 60 characters, and not ledger-missing, ledger-duplicates, all." },
        { "an empty title", Valid.Replace("title: Tiny", "title: \"\""), Caught.SchemaAndLoader,
            "tiny.yaml:2:8: title: is empty; expected a text." },
        { "no faults", Valid.Replace("faults:\n  - kind: stop\n    target: cache", "faults: []"), Caught.SchemaAndLoader,
            "tiny.yaml:5:9: faults: is empty; an experiment injects at least one fault (kinds: stop, kill, latency, bandwidth, blackhole, reset, down, cpu, call-error, call-latency, redeploy, spike)." },
        { "faults as a mapping", Valid.Replace("faults:\n  - kind: stop\n    target: cache", "faults:\n  kind: stop"), Caught.SchemaAndLoader,
            "tiny.yaml:6:3: faults: found a mapping; expected a list of faults (kind, target, …)." },
        { "an unknown fault kind", Valid.Replace("kind: stop", "kind: stopp"), Caught.SchemaAndLoader,
            "tiny.yaml:6:11: faults[0].kind: found 'stopp' (did you mean 'stop'?); allowed: stop, kill, latency, bandwidth, blackhole, reset, down, cpu, call-error, call-latency, redeploy, spike." },
        { "a fault without target", Valid.Replace("    target: cache\n", ""), Caught.SchemaAndLoader,
            "tiny.yaml:6:5: faults[0].target: is missing; required: kind, target." },
        { "latency without its delay", Valid.Replace("kind: stop\n    target: cache", "kind: latency\n    target: cache-proxy"), Caught.SchemaAndLoader,
            "tiny.yaml:6:5: faults[0].latency: is missing; latency needs: latency." },
        { "a latency without unit", Valid.Replace("kind: stop\n    target: cache", "kind: latency\n    target: cache-proxy\n    latency: 100"), Caught.SchemaAndLoader,
            "tiny.yaml:8:14: faults[0].latency: found '100'; allowed: a duration from 1ms to 1m with its unit, such as 500ms, 10s or 2m." },
        { "jitter above the latency", Valid.Replace("kind: stop\n    target: cache", "kind: latency\n    target: cache-proxy\n    latency: 100ms\n    jitter: 200ms"), Caught.LoaderOnly,
            "tiny.yaml:9:13: faults[0].jitter: is 200ms, more than the latency (100ms); a delay cannot be negative." },
        { "a parameter of another kind", Valid.Replace("target: cache", "target: cache\n    latency: 1s"), Caught.SchemaAndLoader,
            "tiny.yaml:8:14: faults[0].latency: is not a parameter of stop; stop takes: no parameters." },
        { "a direction that is none", Valid.Replace("kind: stop\n    target: cache", "kind: blackhole\n    target: cache-proxy\n    direction: sideways"), Caught.SchemaAndLoader,
            "tiny.yaml:8:16: faults[0].direction: found 'sideways'; allowed: both, upstream, downstream." },
        { "an offset past the impact phase", Valid.Replace("target: cache", "target: cache\n    at: 25s"), Caught.LoaderOnly,
            "tiny.yaml:8:9: faults[0].at: found '25s'; allowed: before-impact, or an offset into the impact phase shorter than it (20s), such as 2s." },
        { "a CPU share over 100 %", Valid.Replace("kind: stop\n    target: cache", "kind: cpu\n    target: api\n    share: 150%"), Caught.LoaderOnly,
            "tiny.yaml:8:12: faults[0].share: found '150%'; allowed: a percentage from 1% to 100%, written with its % sign (10% is 0.1)." },
        { "a CPU share as a fraction", Valid.Replace("kind: stop\n    target: cache", "kind: cpu\n    target: api\n    share: 0.8"), Caught.SchemaAndLoader,
            "tiny.yaml:8:12: faults[0].share: found '0.8'; allowed: a percentage from 1% to 100%, written with its % sign (10% is 0.1)." },
        { "no bandwidth at all", Valid.Replace("kind: stop\n    target: cache", "kind: bandwidth\n    target: cache-proxy\n    bytesPerSecond: 0"), Caught.SchemaAndLoader,
            "tiny.yaml:8:21: faults[0].bytesPerSecond: found '0'; allowed: a whole number from 1 to 10000000000." },
        { "no criteria", Valid[..Valid.IndexOf("criteria:", StringComparison.Ordinal)] + "criteria: []", Caught.SchemaAndLoader,
            "tiny.yaml:8:11: criteria: is empty; a hypothesis has at least one criterion." },
        { "an unknown metric", Valid.Replace("metric: error-rate", "metric: error_rate"), Caught.SchemaAndLoader,
            "tiny.yaml:11:13: criteria[0].metric: found 'error_rate' (did you mean 'error-rate'?); allowed: error-rate, success-rate, fallback-share, shed-share, p50, p95, p99, errors-answered-with, status-count, affected-share, throughput-drop, latency-increase, recovery-time, breaker-opened, replica-back-by-itself, replica-restarted-by-itself, api-cpu-peak, api-memory-peak, cache-cpu-peak, cache-memory-peak, db-cpu-peak, db-memory-peak, db-pool-peak, db-pool-waiting, redeployed-unhealthy, replicas-serving, replicas-lost." },
        { "a comparison that is none", Valid.Replace("comparison: \"<\"", "comparison: \"=<\""), Caught.SchemaAndLoader,
            "tiny.yaml:12:17: criteria[0].comparison: found '=<'; allowed: <, <=, >, >=." },
        { "a share as a bare number", Valid.Replace("threshold: 10%", "threshold: 0.1"), Caught.SchemaAndLoader,
            "tiny.yaml:13:16: criteria[0].threshold: found '0.1'; allowed: a percentage from 0% to 100%, written with its % sign (10% is 0.1)." },
        { "a latency threshold without unit", Valid.Replace("metric: error-rate", "metric: p99").Replace("threshold: 10%", "threshold: 1"), Caught.SchemaAndLoader,
            "tiny.yaml:13:16: criteria[0].threshold: found '1'; allowed: a duration from 0ms to 10m with its unit, such as 500ms, 10s or 2m." },
        { "a ratio without its x", Valid.Replace("metric: error-rate", "metric: latency-increase").Replace("threshold: 10%", "threshold: 5"), Caught.SchemaAndLoader,
            "tiny.yaml:13:16: criteria[0].threshold: found '5'; allowed: a ratio from 0x to 1000x, written with its x (5x)." },
        { "two criteria with one name", Valid + "\n  - name: few-errors\n    statement: Fast\n    metric: p95\n    comparison: \"<\"\n    threshold: 1s", Caught.LoaderOnly,
            "tiny.yaml:14:11: criteria[1].name: 'few-errors' names another criterion already; criterion names are unique in an experiment." },
        { "a criterion named like the ledger's", Valid.Replace("name: few-errors", "name: ledger-missing"), Caught.SchemaAndLoader,
            "tiny.yaml:9:11: criteria[0].name: found 'ledger-missing'; a criterion name is lowercase letters, digits and single hyphens (e.g. redis-failure), up to 60 characters, and not ledger-missing, ledger-duplicates, all." },
        { "a status count without statuses", Valid.Replace("metric: error-rate", "metric: status-count").Replace("threshold: 10%", "threshold: 0"), Caught.SchemaAndLoader,
            "tiny.yaml:9:5: criteria[0].statuses: is missing; the metric status-count needs: statuses." },
        { "a phase on a metric that spans the run", Valid.Replace("metric: error-rate", "metric: recovery-time\n    phase: recovery").Replace("threshold: 10%", "threshold: 30s"), Caught.SchemaAndLoader,
            "tiny.yaml:12:12: criteria[0].phase: the metric recovery-time spans the run and takes no phase." },
        { "several phases on a rate", Valid.Replace("metric: error-rate", "metric: error-rate\n    phase: [impact, recovery]"), Caught.SchemaAndLoader,
            "tiny.yaml:12:12: criteria[0].phase: found a list; the metric error-rate is read in one phase: baseline, impact, recovery." },
        { "a status that is none", Valid.Replace("metric: error-rate", "metric: status-count\n    statuses: [42]").Replace("threshold: 10%", "threshold: 0"), Caught.SchemaAndLoader,
            "tiny.yaml:12:16: criteria[0].statuses[0]: found '42'; allowed: 0 (no answer) or an HTTP status from 100 to 599." },
        { "a parameter the metric does not take", Valid.Replace("metric: error-rate", "metric: fallback-share\n    kind: verify"), Caught.SchemaAndLoader,
            "tiny.yaml:12:11: criteria[0].kind: is not a parameter of the metric fallback-share; it takes: requests." },
        { "a self-restart without a kill", Valid.Replace("metric: error-rate", "metric: replica-back-by-itself").Replace("threshold: 10%", "threshold: 30s"), Caught.LoaderOnly,
            "tiny.yaml:11:13: criteria[0].metric: replica-back-by-itself is measured by a kill fault; this experiment has none." },
        { "a mix that does not add up", Valid + "\nload:\n  mix: { verify: 70, history: 20, scan: 20 }", Caught.LoaderOnly,
            "tiny.yaml:15:8: load.mix: verify + history + scan is 70 + 20 + 20 = 110; the shares of the mix add up to 100." },
        { "no traffic", Valid + "\nload:\n  rate: 0", Caught.SchemaAndLoader,
            "tiny.yaml:15:9: load.rate: found '0'; allowed: requests per second above 0 up to 20000." },
        { "more tags than are seeded", Valid + "\nload:\n  tags: 15000", Caught.SchemaAndLoader,
            "tiny.yaml:15:9: load.tags: found '15000'; allowed: a whole number from 1 to 10000." },
        { "a sustain longer than recovery", Valid + "\nphases:\n  recovery: 10s\n  sustain: 20s", Caught.LoaderOnly,
            "tiny.yaml:16:12: phases.sustain: is 20s, longer than the recovery phase (10s); the steady state must be able to hold within it." },
        { "a phase under a second", Valid + "\nphases:\n  baseline: 500ms", Caught.LoaderOnly,
            "tiny.yaml:15:13: phases.baseline: found '500ms'; allowed: a duration from 1s to 10m with its unit, such as 500ms, 10s or 2m." },
        { "a guardrail on a metric guardrails lack", Valid + "\nguardrails:\n  - metric: errors\n    limit: 5%", Caught.SchemaAndLoader,
            "tiny.yaml:15:13: guardrails[0].metric: found 'errors'; allowed: error-rate, p95, p99, api-cpu, api-memory, db-pool-waiting." },
        { "a pool guardrail with a unit", Valid + "\nguardrails:\n  - metric: db-pool-waiting\n    limit: 5%", Caught.SchemaAndLoader,
            "tiny.yaml:16:12: guardrails[0].limit: found '5%'; allowed: a count from 0 to 1000000." },
        { "a latency guardrail without unit", Valid + "\nguardrails:\n  - metric: p95\n    limit: 1", Caught.SchemaAndLoader,
            "tiny.yaml:16:12: guardrails[0].limit: found '1'; allowed: a duration from 0ms to 10m with its unit, such as 500ms, 10s or 2m." },
        { "a place to watch the dashboard lacks", Valid + "\nlearning:\n  watch:\n    - where: dashboard\n      what: everything", Caught.SchemaAndLoader,
            "tiny.yaml:16:14: learning.watch[0].where: found 'dashboard'; allowed: traces, metrics, logs, resources." },
        { "a call fault on a resource that is not a dependency", Valid.Replace("kind: stop\n    target: cache", "kind: call-error\n    target: api\n    share: 5%"), Caught.SchemaAndLoader,
            "tiny.yaml:7:13: faults[0].target: found 'api'; call-error acts on: cache, db." },
        { "a call latency without its latency", Valid.Replace("kind: stop\n    target: cache", "kind: call-latency\n    target: db\n    share: 5%"), Caught.SchemaAndLoader,
            "tiny.yaml:6:5: faults[0].latency: is missing; call-latency needs: latency, share." },
        { "a call error with a latency", Valid.Replace("kind: stop\n    target: cache", "kind: call-error\n    target: cache\n    share: 5%\n    latency: 1s"), Caught.SchemaAndLoader,
            "tiny.yaml:9:14: faults[0].latency: is not a parameter of call-error; call-error takes: share, replicas." },
        { "the affected share without a call fault", Valid.Replace("metric: error-rate", "metric: affected-share"), Caught.LoaderOnly,
            "tiny.yaml:11:13: criteria[0].metric: affected-share needs requests marked by a fault (call-error, call-latency, redeploy); this experiment has none." },
        { "affected requests without a call fault", Valid.Replace("metric: error-rate", "metric: error-rate\n    requests: affected"), Caught.LoaderOnly,
            "tiny.yaml:12:15: criteria[0].requests: requests: affected needs requests marked by a fault (call-error, call-latency, redeploy); this experiment has none." },
        { "an unknown scope of requests", Valid.Replace("metric: error-rate", "metric: error-rate\n    requests: touched"), Caught.SchemaAndLoader,
            "tiny.yaml:12:15: criteria[0].requests: found 'touched'; allowed: all, affected, unaffected." },
        { "a scope of requests on a metric that spans the run", Valid.Replace("metric: error-rate", "metric: recovery-time\n    requests: all").Replace("threshold: 10%", "threshold: 30s"), Caught.SchemaAndLoader,
            "tiny.yaml:12:15: criteria[0].requests: is not a parameter of the metric recovery-time; it takes: no parameters." },
        { "a redeploy of an unknown setting", Valid.Replace("kind: stop\n    target: cache", "kind: redeploy\n    target: api\n    setting: wrong-password"), Caught.SchemaAndLoader,
            "tiny.yaml:8:14: faults[0].setting: found 'wrong-password'; allowed: wrong-postgres-password, broken-redis-connection, pool-size-1, resilience-off." },
        { "a redeploy of the cache", Valid.Replace("kind: stop\n    target: cache", "kind: redeploy\n    target: cache\n    setting: pool-size-1"), Caught.SchemaAndLoader,
            "tiny.yaml:7:13: faults[0].target: found 'cache'; redeploy acts on: api." },
        { "a redeploy without a setting", Valid.Replace("kind: stop\n    target: cache", "kind: redeploy\n    target: api"), Caught.SchemaAndLoader,
            "tiny.yaml:6:5: faults[0].setting: is missing; redeploy needs: setting." },
        { "redeployed health without a redeploy", Valid.Replace("metric: error-rate", "metric: redeployed-unhealthy").Replace("threshold: 10%", "threshold: 1"), Caught.LoaderOnly,
            "tiny.yaml:11:13: criteria[0].metric: redeployed-unhealthy is measured by a redeploy fault; this experiment has none." },
        { "a fault that lasts past the impact phase", Valid.Replace("target: cache", "target: cache\n    at: 15s\n    for: 10s"), Caught.LoaderOnly,
            "tiny.yaml:9:10: faults[0].for: is 10s from 15s into the impact phase, which ends after the impact phase (20s); allowed: up to 5s, or no for: the fault then lasts until the impact phase ends." },
        { "a spike with a duration", Valid.Replace("kind: stop\n    target: cache", "kind: spike\n    target: api\n    factor: 2\n    for: 5s"), Caught.SchemaAndLoader,
            "tiny.yaml:9:10: faults[0].for: a spike changes the whole impact phase's load; it takes no for." },
        { "two faults on one proxy at different moments", Valid.Replace("kind: stop\n    target: cache", "kind: latency\n    target: cache-proxy\n    latency: 100ms\n  - kind: reset\n    target: cache-proxy\n    at: 2s"), Caught.LoaderOnly,
            "tiny.yaml:9:5: faults[1]: at 2s into the impact phase, but faults[0] on cache-proxy is at before-impact; the faults on one proxy are applied together: give them the same at and for." },
        { "a spike that starts late", Valid.Replace("kind: stop\n    target: cache", "kind: spike\n    target: api\n    factor: 10\n    at: 2s"), Caught.SchemaAndLoader,
            "tiny.yaml:9:9: faults[0].at: found '2s'; a spike changes the impact phase's load from its start: allowed: before-impact." },
        { "a spike past the load generator's cap", Valid.Replace("kind: stop\n    target: cache", "kind: spike\n    target: api\n    factor: 100") + "\nload:\n  rate: 250", Caught.LoaderOnly,
            "tiny.yaml:8:13: faults[0].factor: is 100, which asks 25000 requests per second of the load generator (rate 250); allowed up to 20000." },
        { "a key given twice", Valid + "\ntitle: Again", Caught.SchemaAndLoader,
            "tiny.yaml:14:1: is not valid YAML or JSON: Duplicate key title" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_loader_names_every_problem_where_it_is(string what, string yaml, Caught caught, string expected)
    {
        _ = what;
        _ = caught;
        var result = ExperimentFileReader.Parse(yaml, "tiny.yaml");

        Assert.False(result.IsValid);
        Assert.Equal(expected, string.Join("\n", result.Problems));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_schema_rejects_what_its_tag_says(string what, string yaml, Caught caught, string expected)
    {
        _ = what;
        _ = expected;
        var json = YamlAsJson.Convert(yaml);
        var schemaAccepts = json is { } element && Schema.Value.Evaluate(element).IsValid;

        Assert.Equal(caught == Caught.LoaderOnly, schemaAccepts);
    }

    [Fact]
    public void The_valid_base_passes_both()
    {
        Assert.True(ExperimentFileReader.Parse(Valid, "tiny.yaml").IsValid);
        Assert.True(Schema.Value.Evaluate(YamlAsJson.Convert(Valid)!.Value).IsValid);
    }

    [Fact]
    public void Every_built_in_file_validates_against_the_schema()
    {
        foreach (var file in ExperimentFolder.Files(BuiltIn.Folder))
        {
            var evaluation = Schema.Value.Evaluate(YamlAsJson.Convert(File.ReadAllText(file))!.Value, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(evaluation.IsValid, $"{file}: {string.Join("; ", (evaluation.Details ?? []).Where(detail => detail.Errors is { Count: > 0 }).SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}")))}");
        }
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var yaml = Valid.Replace("kind: stop", "kind: stopp").Replace("metric: error-rate", "metric: p100").Replace("title: Tiny", "titel: Tiny");

        var problems = ExperimentFileReader.Parse(yaml, "tiny.yaml").Problems;

        Assert.Equal(["tiny.yaml:1:1: title", "tiny.yaml:2:1: titel", "tiny.yaml:6:11: faults[0].kind", "tiny.yaml:11:13: criteria[0].metric"],
            problems.Select(problem => problem.ToString()[..problem.ToString().IndexOf(": ", problem.ToString().IndexOf(": ", StringComparison.Ordinal) + 2, StringComparison.Ordinal)]));
    }
}
