namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// An activity's provider, as chaoslib checks it, with its messages: http and process providers as chaoslib runs them,
/// and the lab's own <c>lab</c> provider (<see cref="ToolkitLabProvider"/>). Python providers are refused by name: the
/// lab runs no Python, and guessing what an extension's function does is not safe.
/// </summary>
internal static class ToolkitProviders
{
    private static readonly string[] HttpKeys = ["type", "url", "method", "headers", "arguments", "timeout", "verify_tls", "max_retries", "secrets", "expected_status"];

    private static readonly string[] ProcessKeys = ["type", "path", "arguments", "timeout", "secrets"];

    private static readonly Dictionary<string, string> MisplacedInProvider = new()
    {
        ["tolerance"] = "a tolerance belongs to the probe, beside provider, not inside it",
        ["pauses"] = "pauses belong to the activity, beside provider",
        ["background"] = "background belongs to the activity, beside provider",
    };

    public static string Supported => string.Join(", ", ToolkitExperiment.Providers);

    /// <summary>A provider: its type, and what chaoslib checks of http and process providers.</summary>
    public static void Check(ToolkitCursor provider, string activityName, ActivityPlace place, ToolkitValidationContext context)
    {
        var type = provider["type"];
        if (type.IsFalsy)
        {
            type.Problem(provider.Has("module") || provider.Has("func")
                ? $"a provider must have a type; a provider with module and func but no type is the legacy Chaos Toolkit format (version 0.1.0, 2017): the current form is provider: {{type: python, module, func}} (and python providers are not supported here; supported providers: {Supported})."
                : $"a provider must have a type; supported providers: {Supported}.");
            return;
        }

        switch (type.Text)
        {
            case "python":
                provider.Problem($"python provider {provider["module"].Text ?? "(no module)"}.{provider["func"].Text ?? "(no func)"}: not supported; supported providers: {Supported}.");
                return;
            case "http":
                Http(provider);
                break;
            case "process":
                Process(provider, activityName, context);
                break;
            case "lab" when place is not (ActivityPlace.Method or ActivityPlace.Rollbacks):
                type.Problem("a lab provider injects a fault; it belongs in method or rollbacks, not where the experiment only observes.");
                return;
            case "lab":
                ToolkitLabProvider.Check(provider);
                return;
            default:
                type.Problem($"unknown provider type '{type.Shown}'; supported providers: {Supported}.");
                return;
        }

        var secrets = provider["secrets"];
        if (secrets.Text is { } scope)
        {
            secrets.Problem($"legacy Chaos Toolkit form (chaoslib 0.6): provider secrets as a text; the current form is a list of scopes, secrets: [{scope}] (chaoslib would read '{scope}' letter by letter).");
        }
        else if (secrets.Node is not null)
        {
            secrets.Warning($"only python providers take secrets by scope; a {type.Text} provider reads any secret as ${{name}}, whatever this lists.");
        }
    }

    private static void Http(ToolkitCursor provider)
    {
        var url = provider["url"];
        if (url.IsFalsy)
        {
            url.Problem("a HTTP activity must have a URL.");
        }
        else if (url.Text is null)
        {
            url.Problem($"found {url.Found}; the URL is a text.");
        }

        if (provider.Has("method") && provider["method"].Text is not { Length: > 0 })
        {
            provider["method"].Problem($"found {provider["method"].Found}; method is an HTTP method, such as GET or POST.");
        }

        var headers = provider["headers"];
        if (!headers.IsFalsy && !headers.IsMapping)
        {
            headers.Problem($"a HTTP activities expect headers as a mapping; found {headers.Found}: headers: {{Name: value}}.");
        }

        foreach (var header in headers.Keys.Where(header => headers[header].Text is null))
        {
            headers[header].Problem($"found {headers[header].Found}; a header's value is a text (quote it).");
        }

        var timeout = provider["timeout"];
        var timeoutFine = timeout.Node is null || timeout.Number >= 0 || timeout.Text?.StartsWith("${", StringComparison.Ordinal) == true
            || (timeout.IsList && timeout.Items.Count() == 2 && timeout.Items.All(part => part.Number >= 0));
        if (!timeoutFine)
        {
            timeout.Problem($"found {timeout.Found}; an HTTP timeout is seconds, a pair [connect, read] of seconds, or ${{name}}.");
        }

        if (provider.Has("verify_tls") && !provider["verify_tls"].IsBoolean)
        {
            provider["verify_tls"].Problem($"found {provider["verify_tls"].Found}; verify_tls is true or false.");
        }

        if (provider.Has("max_retries") && !(provider["max_retries"].IsInteger && provider["max_retries"].Number >= 0))
        {
            provider["max_retries"].Problem($"found {provider["max_retries"].Found}; max_retries is a whole number from 0.");
        }

        if (provider.Has("expected_status"))
        {
            provider.Key("expected_status").Warning("expected_status is a legacy (2017) key that chaoslib ignores: the call succeeds whatever its status; in the hypothesis, check the status with the probe's tolerance (tolerance: 200).");
        }

        provider.UnknownKeys(HttpKeys, "http provider", MisplacedInProvider);
    }

    private static void Process(ToolkitCursor provider, string activityName, ToolkitValidationContext context)
    {
        var path = provider["path"];
        if (path.IsFalsy)
        {
            path.Problem("a process activity must have a path.");
        }
        else if (path.Text is not { } executable)
        {
            path.Problem($"found {path.Found}; the path is a text: the name of an executable on PATH, or its path.");
        }
        else if (context.FindExecutable(executable) is null)
        {
            // shutil.which finds no file that is not executable; one that is there is named as such.
            path.Problem(executable.Contains('/') && File.Exists(executable) && !ToolkitValidationContext.IsExecutable(executable)
                ? $"no access permission to '{executable}', in activity '{activityName}'; the file is not executable."
                : $"path '{executable}' cannot be found, in activity '{activityName}'; allowed: the name of an executable on PATH, or the path of one.");
        }

        var arguments = provider["arguments"];
        if (arguments.IsMapping)
        {
            arguments.Warning("Process arguments should now be a list to keep the ordering of the arguments. Dictionary arguments are deprecated for process activities.");
        }
        else if (arguments.IsList)
        {
            foreach (var item in arguments.Items.Where(item => item.IsMapping || item.IsList))
            {
                item.Problem($"found {item.Found}; a process argument is a text (numbers and booleans are turned into text).");
            }
        }
        else if (arguments.Node is not null && arguments.Text is null)
        {
            arguments.Problem($"found {arguments.Found}; process arguments are a text (run by the shell), a list, or (deprecated) a mapping.");
        }

        var timeout = provider["timeout"];
        if (timeout.Node is not null && !(timeout.Number >= 0))
        {
            timeout.Problem($"found {timeout.Found}; a process timeout is seconds (chaoslib does not substitute ${{name}} there).");
        }

        provider.UnknownKeys(ProcessKeys, "process provider", MisplacedInProvider);
    }
}
