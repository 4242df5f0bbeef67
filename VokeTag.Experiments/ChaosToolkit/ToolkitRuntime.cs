namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// The experiment's <c>runtime</c>: the hypothesis and rollback strategies (chaoslib crashes on an unknown hypothesis
/// strategy and silently never plays rollbacks on an unknown rollback one; both are refused here), and the lab's own
/// <c>frequency</c> and <c>fail_fast</c>, which chaoslib takes from its command line only.
/// </summary>
internal static class ToolkitRuntime
{
    /// <summary>chaoslib's misspelling of continuously, still accepted with a warning.</summary>
    public const string OldContinuously = "continously";

    public static void Check(ToolkitCursor runtime)
    {
        if (runtime.Node is null)
        {
            return;
        }

        if (!runtime.IsMapping)
        {
            runtime.Problem($"found {runtime.Found}; runtime is a mapping: {{hypothesis: {{strategy, frequency, fail_fast}}, rollbacks: {{strategy}}}}.");
            return;
        }

        Section(runtime, "hypothesis", ["strategy", "frequency", "fail_fast"]);
        Section(runtime, "rollbacks", ["strategy"]);
        Keys(runtime, ["hypothesis", "rollbacks"]);

        var hypothesis = runtime["hypothesis"];
        if (hypothesis.Has("strategy"))
        {
            var strategy = hypothesis["strategy"];
            if (strategy.Text == OldContinuously)
            {
                strategy.Warning($"'{OldContinuously}' is the old spelling of 'continuously'; read as continuously, as chaoslib does.");
            }
            else if (!ToolkitExperiment.HypothesisStrategies.Contains(strategy.Text))
            {
                strategy.Problem($"found {strategy.Found}{ToolkitCursor.Suggestion(strategy.Text ?? "", ToolkitExperiment.HypothesisStrategies)}; allowed: {string.Join(", ", ToolkitExperiment.HypothesisStrategies)}.");
            }
        }

        if (hypothesis.Has("frequency") && !(hypothesis["frequency"].Number > 0))
        {
            hypothesis["frequency"].Problem($"found {hypothesis["frequency"].Found}; frequency is the seconds between two checks of the hypothesis while the method runs, a number above 0.");
        }

        if (hypothesis.Has("fail_fast") && !hypothesis["fail_fast"].IsBoolean)
        {
            hypothesis["fail_fast"].Problem($"found {hypothesis["fail_fast"].Found}; fail_fast is true or false.");
        }

        var rollbacks = runtime["rollbacks"];
        if (rollbacks.Has("strategy") && !ToolkitExperiment.RollbackStrategies.Contains(rollbacks["strategy"].Text))
        {
            rollbacks["strategy"].Problem($"found {rollbacks["strategy"].Found}{ToolkitCursor.Suggestion(rollbacks["strategy"].Text ?? "", ToolkitExperiment.RollbackStrategies)}; allowed: {string.Join(", ", ToolkitExperiment.RollbackStrategies)} (chaoslib would never play the rollbacks, and say nothing).");
        }
    }

    private static void Section(ToolkitCursor runtime, string name, string[] keys)
    {
        var section = runtime[name];
        if (section.Node is not null && !section.IsMapping)
        {
            section.Problem($"found {section.Found}; runtime.{name} is a mapping with: {string.Join(", ", keys)}.");
            return;
        }

        Keys(section, keys);
    }

    private static void Keys(ToolkitCursor mapping, string[] allowed)
    {
        foreach (var key in mapping.Keys.Where(key => !allowed.Contains(key)))
        {
            mapping.Key(key).Problem($"unknown key '{key}'{ToolkitCursor.Suggestion(key, allowed)}; allowed: {string.Join(", ", allowed)}.");
        }
    }
}
