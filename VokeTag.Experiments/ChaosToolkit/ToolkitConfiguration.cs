using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// chaoslib's <c>load_configuration</c> and <c>load_secrets</c> as they run at validation: a value read from the
/// environment must be there (or have a default) and convert to its <c>env_var_type</c>. Vault is refused: the lab
/// reads secrets from the environment or the file.
/// </summary>
internal static partial class ToolkitConfiguration
{
    private static readonly string[] EnvKeys = ["type", "key", "default", "env_var_type"];

    /// <summary>chaoslib's <c>convert_to_type</c> names, spellings included.</summary>
    private static readonly string[] EnvVarTypes = ["str", "string", "int", "integer", "float", "number", "bool", "bytes", "json"];

    public static void Check(ToolkitCursor configuration, ToolkitValidationContext context)
    {
        if (configuration.IsFalsy)
        {
            return;
        }

        if (!configuration.IsMapping)
        {
            configuration.Problem($"found {configuration.Found}; configuration is a mapping of names to values.");
            return;
        }

        foreach (var value in configuration.Keys.Select(key => configuration[key]).Where(value => value.IsMapping && value.Has("type")))
        {
            switch (value["type"].Text)
            {
                case "env":
                    Env(value, context);
                    break;
                case "probe":
                    DynamicValue(value, context);
                    break;
                default:
                    value["type"].Problem($"configuration type {value["type"].Found} is not supported; a configuration value is a plain value, {{type: env, key, default?, env_var_type?}} or {{type: probe, provider}} (dynamic).");
                    break;
            }
        }
    }

    public static void CheckSecrets(ToolkitCursor secrets, ToolkitValidationContext context)
    {
        if (secrets.IsFalsy)
        {
            return;
        }

        if (!secrets.IsMapping)
        {
            secrets.Problem($"found {secrets.Found}; secrets are a mapping of scopes: {{scope: {{name: value or {{type: env, key}}}}}}.");
            return;
        }

        foreach (var scope in secrets.Keys.Select(key => secrets[key]))
        {
            if (!scope.IsMapping)
            {
                scope.Problem($"found {scope.Found}; secrets are grouped in scopes, {{scope: {{name: …}}}}: a secret outside one makes chaoslib crash.");
            }
            else if (scope["type"].Text is "env" or "vault")
            {
                scope.Problem("is one secret where chaoslib expects a scope of secrets: {scope: {name: {type: env, key: …}}}.");
            }
            else
            {
                Secrets(scope, context);
            }
        }
    }

    private static void Secrets(ToolkitCursor mapping, ToolkitValidationContext context)
    {
        foreach (var secret in mapping.Keys.Select(key => mapping[key]).Where(secret => secret.IsMapping))
        {
            switch (secret["type"].Text)
            {
                case "env":
                    if (EnvKey(secret) is { } name && context.Environment(name) is null)
                    {
                        secret.Problem($"Secrets make reference to an environment key that does not exist: {name}; set it (secrets take no default).");
                    }

                    secret.UnknownKeys(["type", "key"], "env secret");
                    break;
                case "vault":
                    secret.Problem($"vault secrets are not supported: the lab reads secrets from the environment, {{type: env, key: NAME}}, or from the file; this one reads {secret["path"].Text ?? secret["key"].Text ?? "a path"} from Vault.");
                    break;
                default:
                    Secrets(secret, context); // chaoslib reads any other mapping as nested secrets
                    break;
            }
        }
    }

    private static void Env(ToolkitCursor value, ToolkitValidationContext context)
    {
        value.UnknownKeys(EnvKeys, "env configuration");
        if (EnvKey(value) is not { } name)
        {
            return;
        }

        var found = context.Environment(name);
        if (found is null && !value.Has("default"))
        {
            value.Problem($"Configuration makes reference to an environment key that does not exist: {name}; set it, or give the value a default.");
            return;
        }

        var type = value["env_var_type"];
        if (type.Node is null)
        {
            return;
        }

        if (type.Text is not { } typeName || !EnvVarTypes.Contains(typeName))
        {
            type.Problem($"variable type can only be: bool, str, int, float, bytes or json; found {type.Found} (also read: string, integer, number).");
            return;
        }

        var fallback = value["default"];
        if (!Converts(found ?? fallback.Text, fallback, typeName))
        {
            (found is null ? fallback : value).Problem(
                $"{(found is null ? $"the default, {fallback.Found}," : $"the environment variable {name}, '{found}',")} cannot be converted to {typeName} (env_var_type): chaoslib would crash.");
        }
    }

    /// <summary>Whether chaoslib's <c>convert_to_type</c> takes the value: a text (from the environment or the default), else the default as written.</summary>
    private static bool Converts(string? text, ToolkitCursor fallback, string type) => type switch
    {
        "int" or "integer" => text is not null ? PythonInteger().IsMatch(text) : fallback.Number is not null || fallback.IsBoolean,
        "float" or "number" => text is not null
            ? double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out _) || text.Trim().ToLowerInvariant() is "inf" or "-inf" or "+inf" or "nan"
            : fallback.Number is not null || fallback.IsBoolean,
        "json" => text is null or "" || IsJson(text),
        _ => true,
    };

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A configuration value chaoslib computes before the run, by running a probe; the lab runs http and process ones.</summary>
    private static void DynamicValue(ToolkitCursor value, ToolkitValidationContext context)
    {
        var provider = value["provider"];
        if (provider.IsFalsy || !provider.IsMapping)
        {
            provider.Problem($"a dynamic configuration value requires a provider; found {provider.Found}: {{type: probe, provider: {{type: http|process, …}}}}.");
            return;
        }

        ToolkitProviders.Check(provider, value["name"].Text ?? value.Path, ActivityPlace.Configuration, context);
    }

    private static string? EnvKey(ToolkitCursor value)
    {
        if (value["key"].Text is { Length: > 0 } name)
        {
            return name;
        }

        value["key"].Problem($"found {value["key"].Found}; an env value names its environment variable: {{type: env, key: NAME}}.");
        return null;
    }

    /// <summary>What Python's <c>int()</c> reads: digits with single underscores between them, a sign, spaces around.</summary>
    [GeneratedRegex(@"^\s*[-+]?[0-9](_?[0-9])*\s*$")]
    private static partial Regex PythonInteger();
}
