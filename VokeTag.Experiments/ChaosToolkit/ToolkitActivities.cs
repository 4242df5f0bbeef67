namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>Where an activity is: what it may hold, and what chaoslib does when its ref finds nothing.</summary>
internal enum ActivityPlace
{
    Hypothesis,
    Method,
    Rollbacks,
    Tolerance,

    /// <summary>A dynamic configuration value: a probe chaoslib runs before the experiment.</summary>
    Configuration,
}

/// <summary>What checking an activity needs besides the activity: the machine, and the names refs can take (with where each is).</summary>
internal sealed record ActivityScope(ToolkitValidationContext Context, IReadOnlyDictionary<string, List<string>> Names);

/// <summary>
/// chaoslib's <c>ensure_activity_is_valid</c>, with its messages: an activity's type, name, provider
/// (<see cref="ToolkitProviders"/>), pauses, background and refs. Controls are refused wherever they are: the lab runs no
/// Python, and leaving a control out is not safe.
/// </summary>
internal static class ToolkitActivities
{
    private static readonly string[] ActivityKeys = ["type", "name", "provider", "tolerance", "pauses", "background", "controls", "dry", "timeout", "ref"];

    private static readonly Dictionary<string, string> MisplacedInActivity = new()
    {
        ["arguments"] = "arguments belong inside provider: chaoslib ignores them here, so the provider runs without them",
        ["url"] = "url belongs inside provider",
        ["path"] = "path belongs inside provider",
        ["expected_status"] = "expected_status is a legacy (2017) key that chaoslib ignores; the hypothesis checks a status with the probe's tolerance (tolerance: 200)",
    };

    /// <summary>Checks one entry of a list of activities; false when it is no activity nor ref at all (nothing more to check of it).</summary>
    public static bool Check(ToolkitCursor activity, ActivityPlace place, ActivityScope scope)
    {
        if (activity.IsFalsy || !activity.IsMapping)
        {
            activity.Problem($"{(activity.IsFalsy ? "empty activity is no activity" : $"found {activity.Found}")}; an activity is {{type: probe|action, name, provider: {{type: {string.Join("|", ToolkitExperiment.Providers)}, …}}}} or {{ref: <name>}}.");
            return false;
        }

        if (activity.Has("probes") || activity.Has("layer") || (activity.Has("title") && !activity.Has("name")))
        {
            activity.Problem("legacy Chaos Toolkit format (2017, before chaoslib 0.6): method steps with title, layer and probes.steady/probes.close are no longer read; the current form lists activities {type: probe|action, name, provider: {type, …}} in method, and the steady state as probes with a tolerance in steady-state-hypothesis.");
            return false;
        }

        if (activity["ref"].Node is not null)
        {
            Ref(activity, place, scope);
            return true;
        }

        var type = activity["type"];
        var legacy = type.Text is "python" or "process" or "http";
        if (type.IsFalsy)
        {
            type.Problem($"an activity must have a type; allowed: {string.Join(", ", ToolkitExperiment.ActivityTypes)}.");
        }
        else if (legacy)
        {
            type.Problem($"legacy Chaos Toolkit format (version 0.1.0, 2017): the activity type '{type.Text}' names its provider; the current form is type: probe or action, with provider: {{type: {type.Text}, …}}.");
        }
        else if (!ToolkitExperiment.ActivityTypes.Contains(type.Text))
        {
            type.Problem($"'{type.Shown}' is not a supported activity type; allowed: {string.Join(", ", ToolkitExperiment.ActivityTypes)}.");
        }

        var name = activity["name"];
        if (name.IsFalsy)
        {
            name.Problem("an activity must have a name.");
        }

        var provider = activity["provider"];
        if (provider.IsFalsy || !provider.IsMapping)
        {
            provider.Problem($"an activity requires a provider{(provider.IsFalsy ? "" : $"; found {provider.Found}")}: {{type: {string.Join("|", ToolkitExperiment.Providers)}, …}}.");
        }
        else if (!legacy)
        {
            ToolkitProviders.Check(provider, name.Shown, place, scope.Context);
            if (provider["type"].Text == "lab" && type.Text == "probe")
            {
                type.Problem("a lab provider injects a fault: its activity is an action, not a probe.");
            }
        }

        Details(activity, place);
        return true;
    }

    /// <summary>Controls, wherever they are: the lab runs none, and leaving one out (a safeguard, say) would be unsafe.</summary>
    public static void Controls(ToolkitCursor controls)
    {
        if (controls.Node is null)
        {
            return;
        }

        if (!controls.IsList)
        {
            controls.Problem($"found {controls.Found}; controls are a list, and the lab runs none: remove controls to run this file here.");
            return;
        }

        foreach (var control in controls.Items)
        {
            var named = control["name"].Text is { } name ? $"control '{name}'" : control["ref"].Text is { } reference ? $"control ref '{reference}'" : "a control with no name";
            var module = control["provider"]["module"].Text is { } text ? $" ({text})" : "";
            control.Problem($"{named}{module} is not supported: the lab cannot run Chaos Toolkit controls (Python), and leaving one out, a safeguard say, would be unsafe; remove it to run this file here.");
        }
    }

    private static void Ref(ToolkitCursor activity, ActivityPlace place, ActivityScope scope)
    {
        var reference = activity["ref"];
        if (reference.Text is not { Length: > 0 } name)
        {
            reference.Problem($"reference to activity must be non-empty strings; found {reference.Found}.");
            return;
        }

        if (!scope.Names.TryGetValue(name, out var targets))
        {
            var when = place switch
            {
                ActivityPlace.Rollbacks => " (chaoslib only finds out while rolling back, and crashes)",
                ActivityPlace.Hypothesis => " (chaoslib only finds out while checking the hypothesis, and crashes)",
                _ => "",
            };
            var known = scope.Names.Count == 0 ? "this experiment names none" : $"known: {string.Join(", ", scope.Names.Keys)}";
            reference.Problem($"referenced activity '{name}' could not be found in the experiment{when}; a ref names a method activity or a hypothesis probe, not a rollback ({known}).");
        }
        else if (targets.Count > 1)
        {
            reference.Warning($"'{name}' names {targets.Count} activities ({string.Join(", ", targets)}); the ref runs the last one, as chaoslib does.");
        }

        string[] own = place switch
        {
            ActivityPlace.Hypothesis => ["ref", "tolerance"],
            ActivityPlace.Method or ActivityPlace.Rollbacks => ["ref", "background"],
            _ => ["ref"],
        };
        foreach (var key in activity.Keys.Where(key => !own.Contains(key)))
        {
            activity.Key(key).Warning($"'{key}' is ignored on a ref: the referenced activity's own is used; a ref here takes: {string.Join(", ", own)}.");
        }
    }

    /// <summary>The activity's keys besides type, name and provider.</summary>
    private static void Details(ToolkitCursor activity, ActivityPlace place)
    {
        var timeout = activity["timeout"];
        if (activity.Has("timeout") && timeout.Number is null && !timeout.IsBoolean)
        {
            timeout.Problem($"activity timeout must be a number; found {timeout.Found} (and it would be ignored: use provider.timeout).");
        }
        else if (activity.Has("timeout"))
        {
            timeout.Warning("an activity's timeout is never used: chaoslib only applies provider.timeout; move it there.");
        }

        if (activity.Has("pauses"))
        {
            Pauses(activity["pauses"]);
        }

        var background = activity["background"];
        if (activity.Has("background") && !background.IsBoolean)
        {
            background.Problem($"activity background must be a boolean; found {background.Found}.");
        }

        Controls(activity["controls"]);
        if (activity.Has("tolerance") && place is ActivityPlace.Method or ActivityPlace.Rollbacks)
        {
            activity["tolerance"].Warning("a tolerance is only checked in the steady-state hypothesis; here chaoslib records the output and ignores it.");
        }

        if (activity.Has("dry"))
        {
            activity.Key("dry").Warning("an activity's dry is ignored: the run decides what is dry.");
        }

        foreach (var key in new[] { "secrets", "configuration" }.Where(activity.Has))
        {
            activity.Key(key).Problem($"legacy Chaos Toolkit form (version 0.1.0, 2017): an activity-level {key} entry, which current chaoslib ignores; declare {key} at the top level ({key}: {{…}}) and use them as ${{name}}.");
        }

        activity.UnknownKeys(ActivityKeys, "activity", MisplacedInActivity);
    }

    private static void Pauses(ToolkitCursor pauses)
    {
        if (!pauses.IsMapping)
        {
            pauses.Problem($"found {pauses.Found}; pauses are a mapping {{before?: seconds, after?: seconds}}, e.g. pauses: {{after: 10}}.");
            return;
        }

        foreach (var key in new[] { "before", "after" }.Where(pauses.Has))
        {
            var pause = pauses[key];
            var fine = pause.Text is { } text ? text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}') : pause.Number >= 0;
            if (!fine)
            {
                pause.Problem($"activity {key} pause must be a number or a pattern to a variable from the configuration or secrets; found {pause.Found}: allowed: seconds from 0, or ${{name}}.");
            }
        }

        pauses.UnknownKeys(["before", "after"], "pauses");
    }
}
