using VokeTag.Experiments.ChaosToolkit;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

/// <summary>
/// Chaos Toolkit files as people write them (<c>files/valid</c>: every shape the lab runs) and as they go wrong
/// (<c>files/malformed</c>: each with the problem the reader must name, where it is, and what is allowed instead).
/// </summary>
public sealed class ToolkitFileTests
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Toolkit", "files");

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["VOKETAG_API_URL"] = "http://localhost:5080",
        ["VOKETAG_TOKEN"] = "s3cret",
    };

    /// <summary>The test's own environment, and the machine's PATH (the files use /bin/true and echo).</summary>
    public static readonly ToolkitValidationContext Context = new(name => Environment.GetValueOrDefault(name), ToolkitValidationContext.Which);

    /// <summary>What the valid files warn about (substrings, in order); every other valid file has no warning.</summary>
    private static readonly Dictionary<string, string[]> ExpectedWarnings = new()
    {
        ["boolean-tolerance.yaml"] = ["boolean-tolerance.yaml:8:18: steady-state-hypothesis.probes[0].tolerance: a true tolerance never matches the output of a process probe"],
        ["probe-tolerance.yaml"] = ["steady-state-hypothesis.probes[0].tolerance: a probe tolerance with a http provider always passes"],
        ["continously.yaml"] = ["continously.yaml:5:15: runtime.hypothesis.strategy: 'continously' is the old spelling of 'continuously'"],
        ["misspelt-hypothesis.yaml"] =
        [
            "misspelt-hypothesis.yaml:3:1: steady-state-hypotesis: unknown key 'steady-state-hypotesis' (did you mean 'steady-state-hypothesis'?); chaoslib ignores it, so this file has no steady-state hypothesis",
        ],
        ["deprecated-forms.yaml"] =
        [
            "dry: 'dry' is ignored",
            "steady-state-hypothesis.probes[0].provider.expected_status: expected_status is a legacy (2017) key that chaoslib ignores",
            "method[0].timeout: an activity's timeout is never used",
            "method[0].provider.arguments: Process arguments should now be a list to keep the ordering of the arguments. Dictionary arguments are deprecated for process activities.",
            "method[1].arguments: unknown key 'arguments'; arguments belong inside provider",
            "method[2].tolerance: a tolerance is only checked in the steady-state hypothesis",
            "method[2].provider.retries: unknown key 'retries'; chaoslib ignores it, and so does the lab; http provider keys: type, url,",
        ],
    };

    public static TheoryData<string> ValidFiles => [.. Files("valid")];

    /// <summary>Each malformed file and (part of) the problem it must be refused with.</summary>
    public static TheoryData<string, string> MalformedFiles => new()
    {
        { "python-only.yaml", "python-only.yaml:21:7: method[0].provider: python provider chaosk8s.pod.actions.terminate_pods: not supported; supported providers: http, process, lab." },
        { "controls.yaml", "method[0].controls[0]: control 'tracing' (chaostracing.control) is not supported: the lab cannot run Chaos Toolkit controls" },
        { "journal.json", "journal.json:1:1: is a Chaos Toolkit journal (chaoslib-version, run), the record of a run, not an experiment" },
        { "configmap.yaml", "is a Kubernetes ConfigMap holding a Chaos Toolkit experiment in data.experiment.json, not an experiment file" },
        { "reliably-template.yaml", "is a Reliably experiment template (metadata, spec.template), not an experiment" },
        { "missing-method.yaml", "missing-method.yaml:1:1: method: an experiment requires a method, which can be empty for only checking steady state hypothesis (" },
        { "method-mapping.yaml", "method: found a mapping; the method is a list of activities" },
        { "missing-title.json", "missing-title.json:1:1: title: experiment requires a title." },
        { "bad-tag.yaml", "bad-tag.yaml:3:13: tags[1]: experiment tags must be a non-empty string; found ''." },
        { "tags-as-text.yaml", "tags: found 'k8s, pod'; tags are a list of non-empty strings" },
        { "hypothesis-without-title.yaml", "steady-state-hypothesis.title: hypothesis requires a title." },
        { "probes-mapping.yaml", "steady-state-hypothesis.probes: found a mapping; probes are a list of probes" },
        { "tolerance-float.yaml", "tolerance: hypothesis probe tolerance must either be an integer, a string, a boolean or a pair of values for boundaries. It can also be a dictionary which is a probe activity definition that takes an argument called `value` with the value of the probe itself to be validated; found 0.95" },
        { "tolerance-inside-provider.yaml", "steady-state-hypothesis.probes[0]: hypothesis probe must have a tolerance entry: it is inside provider" },
        { "expected-status-in-hypothesis.yaml", "hypothesis probe must have a tolerance entry: expected_status is a legacy (2017) key that chaoslib ignores" },
        { "regex-without-pattern.yaml", "tolerance.pattern: hypothesis regex probe tolerance must have a `pattern` key" },
        { "bad-regex.yaml", "bad-regex.yaml:8:41: steady-state-hypothesis.probes[0].tolerance.pattern: hypothesis probe tolerance pattern (Healthy|Degraded seems invalid: " },
        { "jsonpath-without-path.json", "tolerance.path: hypothesis jsonpath probe tolerance must have a `path` key" },
        { "range-three-values.yaml", "tolerance.range: hypothesis range sequence must be made of two values; found 3" },
        { "range-string-bound.yaml", "tolerance.range[1]: hypothesis range upper boundary must be a number; found '$(max_latency)'." },
        { "unknown-tolerance-type.yaml", "tolerance.type: hypothesis probe tolerance type 'exact' is unsupported; allowed: probe, regex, jsonpath, range." },
        { "ref-to-nothing.yaml", "ref-to-nothing.yaml:7:10: method[1].ref: referenced activity 'kill-api' could not be found in the experiment; a ref names a method activity or a hypothesis probe, not a rollback (known: stop-cache)." },
        { "rollback-ref-to-nothing.yaml", "rollbacks[0].ref: referenced activity 'start-cache' could not be found in the experiment (chaoslib only finds out while rolling back, and crashes)" },
        { "ref-to-a-rollback.yaml", "method[0].ref: referenced activity 'undo' could not be found in the experiment" },
        { "unknown-activity-type.yaml", "method[0].type: 'task' is not a supported activity type; allowed: probe, action." },
        { "activity-without-name.json", "activity-without-name.json:5:5: method[0].name: an activity must have a name." },
        { "unknown-provider-type.yaml", "method[0].provider.type: unknown provider type 'k8s'; supported providers: http, process, lab." },
        { "process-path-not-found.yaml", "method[0].provider.path: path 'kubect1' cannot be found, in activity 'list-pods'" },
        { "http-without-url.yaml", "method[0].provider.url: a HTTP activity must have a URL." },
        { "headers-not-mapping.json", "method[0].provider.headers: a HTTP activities expect headers as a mapping; found a list" },
        { "http-timeout-three-values.yaml", "method[0].provider.timeout: found a list; an HTTP timeout is seconds, a pair [connect, read] of seconds, or ${name}." },
        { "pauses-and-background.yaml", "method[0].background: activity background must be a boolean; found 'true'." },
        { "env-configuration-missing.yaml", "configuration.api_url: Configuration makes reference to an environment key that does not exist: VOKETAG_CTK_NOT_SET; set it, or give the value a default." },
        { "env-var-type-unknown.yaml", "configuration.verbose.env_var_type: variable type can only be: bool, str, int, float, bytes or json; found 'boolean'" },
        { "env-default-not-an-int.yaml", "configuration.retries.default: the default, 'three', cannot be converted to int (env_var_type)" },
        { "env-secret-missing.yaml", "secrets.api.token: Secrets make reference to an environment key that does not exist: VOKETAG_CTK_TOKEN_NOT_SET" },
        { "vault-secret.yaml", "secrets.db.password: vault secrets are not supported" },
        { "secrets-without-scope.yaml", "secrets.token: found 'abc'; secrets are grouped in scopes" },
        { "provider-secrets-string.yaml", "method[0].provider.secrets: legacy Chaos Toolkit form (chaoslib 0.6): provider secrets as a text; the current form is a list of scopes, secrets: [k8s]" },
        { "unknown-rollback-strategy.yaml", "runtime.rollbacks.strategy: found 'on-failure'; allowed: default, always, never, deviated (chaoslib would never play the rollbacks" },
        { "unknown-hypothesis-strategy.yaml", "runtime.hypothesis.strategy: found 'before-method'; allowed: default, before-method-only, after-method-only, during-method-only, continuously." },
        { "legacy-2017-probes.json", "legacy-2017-probes.json:6:5: method[0]: legacy Chaos Toolkit format (2017, before chaoslib 0.6): method steps with title, layer and probes.steady/probes.close are no longer read; the current form lists activities" },
        { "legacy-0.1.0-python.json", "method[0].type: legacy Chaos Toolkit format (version 0.1.0, 2017): the activity type 'python' names its provider; the current form is type: probe or action, with provider: {type: python, …}." },
        { "lab-unknown-fault.yaml", "method[0].provider.fault: found 'latncy' (did you mean 'latency'?); the lab faults are: stop, kill, latency, bandwidth, blackhole, reset, down, cpu, call-error, call-latency, redeploy, rollback." },
        { "lab-missing-parameter.yaml", "lab-missing-parameter.yaml:7:7: method[0].provider.latency: is missing; latency needs: latency." },
        { "lab-spike.yaml", "method[0].provider.fault: spike is a load kind" },
        { "lab-wrong-target.yaml", "method[0].provider.target: found 'api'; call-error acts on: cache, db." },
        { "lab-bad-values.yaml", "method[0].provider.latency: found '100'; allowed: a duration from 1ms to 1m with its unit" },
        { "lab-in-hypothesis.yaml", "steady-state-hypothesis.probes[0].provider.type: a lab provider injects a fault; it belongs in method or rollbacks" },
        { "multi-document.yaml", "multi-document.yaml:1:1: holds 2 documents; expected one experiment." },
        { "invalid-json.json", "invalid-json.json:5:1: is not valid JSON (chaoslib reads .json files with Python's json: no comments or trailing commas): The JSON object contains a trailing comma" },
        { "python-tag.yaml", "python-tag.yaml:1:8: the YAML tag !!python/object/apply:os.system cannot be read" },
    };

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void A_valid_file_reads_as_a_toolkit_experiment(string file)
    {
        var result = Read("valid", file);

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
        Assert.Null(result.Definition);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), result.Toolkit!.Name);
        var expected = ExpectedWarnings.GetValueOrDefault(file) ?? [];
        Assert.Equal(expected.Length, result.Toolkit.Warnings.Count);
        foreach (var (warning, substring) in result.Toolkit.Warnings.Zip(expected))
        {
            Assert.Contains(substring, warning);
        }
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void A_malformed_file_is_refused_naming_its_problem(string file, string expected)
    {
        var result = Read("malformed", file);

        Assert.False(result.IsValid);
        Assert.Null(result.Toolkit);
        Assert.Contains(expected, string.Join("\n", result.Problems));
    }

    [Fact]
    public void Every_malformed_file_has_its_case()
    {
        Assert.Equal(Files("malformed").Order(), MalformedFiles.Select(row => (string)row[0]).Order());
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        Assert.Equal(
            [
                "legacy-0.1.0-python.json:9:17: steady-state-hypothesis.probes[0].type",
                "legacy-0.1.0-python.json:18:15: method[0].type",
                "legacy-0.1.0-python.json:20:7: method[0].secrets",
            ],
            Read("malformed", "legacy-0.1.0-python.json").Problems.Select(problem => $"{problem.File}:{problem.Line}:{problem.Column}: {problem.Path}"));
        // latency without its unit, share as a fraction, latency on cpu (a bare number of seconds is a duration)
        Assert.Equal(3, Read("malformed", "lab-bad-values.yaml").Problems.Count);
    }

    [Fact]
    public void A_python_only_file_names_each_python_function()
    {
        Assert.Equal(
            [
                "python-only.yaml:11:9: steady-state-hypothesis.probes[0].provider: python provider chaosk8s.pod.probes.pods_in_phase: not supported; supported providers: http, process, lab.",
                "python-only.yaml:21:7: method[0].provider: python provider chaosk8s.pod.actions.terminate_pods: not supported; supported providers: http, process, lab.",
            ],
            Read("malformed", "python-only.yaml").Problems.Select(problem => problem.ToString()));
    }

    [Fact]
    public void A_misspelt_hypothesis_leaves_the_file_without_one()
    {
        var experiment = Read("valid", "misspelt-hypothesis.yaml").Toolkit!;

        Assert.Null(experiment.Hypothesis);
        Assert.Single(experiment.Method);
    }

    [Fact]
    public void A_file_that_cannot_run_still_shows_its_warnings_since_a_misspelt_key_often_explains_a_problem()
    {
        var result = VokeTag.Experiments.ExperimentFileReader.Parse("""
            title: t
            description: d
            steady-state-hypotesis: {title: x}
            method:
              - {type: action, name: kill, provider: {type: python, module: chaosk8s.pod.actions, func: terminate_pods}}
            """, "both.yaml");

        Assert.False(result.IsValid);
        Assert.Contains("python provider chaosk8s.pod.actions.terminate_pods: not supported", Assert.Single(result.Problems).Message);
        Assert.Contains("did you mean 'steady-state-hypothesis'?", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void The_runtime_is_read_with_chaoslibs_defaults()
    {
        var continuously = Read("valid", "runtime-continuously.yaml").Toolkit!;
        var plain = Read("valid", "hypothesis-only.yaml").Toolkit!;

        Assert.Equal(("continuously", "always", TimeSpan.FromSeconds(2), true),
            (continuously.HypothesisStrategy, continuously.RollbackStrategy, continuously.HypothesisFrequency, continuously.HypothesisFailFast));
        Assert.Equal(("default", "default", TimeSpan.FromSeconds(1), false),
            (plain.HypothesisStrategy, plain.RollbackStrategy, plain.HypothesisFrequency, plain.HypothesisFailFast));
        Assert.Equal("continuously", Read("valid", "continously.yaml").Toolkit!.HypothesisStrategy);
        Assert.Equal(TimeSpan.FromSeconds(0.5), Read("valid", "runtime-during-method-only.yaml").Toolkit!.HypothesisFrequency);
    }

    public static TheoryData<string, string> Strategies
    {
        get
        {
            var strategies = new TheoryData<string, string>();
            foreach (var hypothesis in ToolkitExperiment.HypothesisStrategies)
            {
                foreach (var rollbacks in ToolkitExperiment.RollbackStrategies)
                {
                    strategies.Add(hypothesis, rollbacks);
                }
            }

            return strategies;
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_runtime_strategy_is_taken(string hypothesis, string rollbacks)
    {
        var yaml = $"title: T\ndescription: D\nruntime:\n  hypothesis: {{strategy: {hypothesis}}}\n  rollbacks: {{strategy: {rollbacks}}}\nmethod: []\n";

        var experiment = ExperimentFileReader.Parse(yaml, "strategies.yaml", Context).Toolkit;

        Assert.Equal((hypothesis, rollbacks), (experiment?.HypothesisStrategy, experiment?.RollbackStrategy));
    }

    [Fact]
    public void Activities_keep_their_place_and_refs()
    {
        var experiment = Read("valid", "refs-background-pauses.json").Toolkit!;

        Assert.Equal(
            ["steady-state-hypothesis.probes[0]", "steady-state-hypothesis.probes[1]", "method[0]", "method[1]", "method[2]", "method[3]", "rollbacks[0]", "rollbacks[1]"],
            experiment.Activities.Select(activity => activity.Where));
        Assert.Equal("api-health", experiment.Method[2]!["ref"]!.GetValue<string>());
    }

    [Fact]
    public void Configuration_reads_the_given_environment()
    {
        var unset = new ToolkitValidationContext(_ => null, ToolkitValidationContext.Which);
        var text = File.ReadAllText(Path.Combine(Folder, "valid", "configuration-and-secrets.yaml"));

        var problems = ExperimentFileReader.Parse(text, "configuration-and-secrets.yaml", unset).Problems;

        Assert.Equal(
            [
                "configuration.api_url: Configuration makes reference to an environment key that does not exist: VOKETAG_API_URL; set it, or give the value a default.",
                "secrets.api.token: Secrets make reference to an environment key that does not exist: VOKETAG_TOKEN; set it (secrets take no default).",
            ],
            problems.Select(problem => $"{problem.Path}: {problem.Message}"));
    }

    [Fact]
    public void A_process_path_is_found_as_the_context_finds_it()
    {
        var nowhere = new ToolkitValidationContext(_ => null, _ => null);

        var problems = ExperimentFileReader.Parse(File.ReadAllText(Path.Combine(Folder, "valid", "process-only.yaml")), "process-only.yaml", nowhere).Problems;

        Assert.Equal(
            ["path '/bin/true' cannot be found, in activity 'true-exits-zero'", "path 'echo' cannot be found, in activity 'echo-says-ok'",
                "path '/bin/echo' cannot be found, in activity 'echo-a-list'", "path 'echo' cannot be found, in activity 'echo-a-line'"],
            problems.Select(problem => problem.Message[..problem.Message.IndexOf(';')]));
    }

    /// <summary>Shapes chaoslib crashes on, or that are nothing like an experiment: each a problem, never an exception.</summary>
    [Theory]
    [InlineData("method: [null, 1, x, [], {}]")]
    [InlineData("method: []\nsteady-state-hypothesis: []")]
    [InlineData("method: []\nsteady-state-hypothesis: {title: T, probes: [{ref: 1, tolerance: 1}, {type: probe, name: p, provider: http, tolerance: {type: probe}}]}")]
    [InlineData("method: []\nsteady-state-hypothesis: {title: T, probes: [{type: probe, name: p, provider: {type: http, url: u}, tolerance: {type: range, range: null}}]}")]
    [InlineData("method: []\nconfiguration: [1]\nsecrets: [1]")]
    [InlineData("method: []\nconfiguration: {a: {type: env}, b: {type: env, key: [1]}, c: {type: env, key: K, default: null, env_var_type: 5}, d: {type: probe}}")]
    [InlineData("method: []\nsecrets: {s: {k: {type: env}, n: {deeper: {type: vault}}}, t: null}")]
    [InlineData("method: []\nruntime: {hypothesis: 5, rollbacks: {strategy: 5}, other: 1}")]
    [InlineData("method: []\nruntime: {hypothesis: {strategy: null, frequency: true, fail_fast: 1}}")]
    [InlineData("method: [{type: action, name: a, pauses: {before: [1], after: -1}, provider: {type: http, url: 1, headers: {A: null}, timeout: true, method: 5}}]")]
    [InlineData("method: [{type: action, name: a, provider: {type: lab, fault: [1], target: 5}}, {type: action, name: b, provider: {type: lab, fault: latency, target: x, latency: 5ms, jitter: [1]}}]")]
    [InlineData("method: [{type: action, name: a, provider: {type: process, path: [1], arguments: 5, timeout: x}}]")]
    [InlineData("title: {a: 1}\ndescription: 5\nmethod: []\ncontrols: {a: 1}\ntags: [null]\nextensions: [1]\ncontributions: [1]")]
    [InlineData("method: []\ncontrols: [1, null, {ref: c}]")]
    [InlineData("{\"method\": {\"a\": 1}, \"title\": 1, \"description\": true, \"rollbacks\": 5}")]
    [InlineData("title: T\ndescription: D\nmethod: []\nsteady-state-hypothesis:")]
    public void An_odd_shape_is_a_problem_not_an_exception(string yaml)
    {
        var result = ExperimentFileReader.Parse(yaml, "odd.yaml", Context);

        Assert.True(result.Problems.Count > 0 || result.Toolkit is { HypothesisStrategy: not null }, string.Join("\n", result.Problems));
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(Path.Combine(Folder, folder)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    private static ExperimentFileResult Read(string folder, string file) =>
        ExperimentFileReader.Parse(File.ReadAllText(Path.Combine(Folder, folder, file)), file, Context);
}
