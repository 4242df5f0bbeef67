using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// An experiment's <c>configuration</c> and <c>secrets</c> resolved as chaoslib's load_configuration and load_secrets
/// do, before anything runs: environment references are read, everything else is kept as written. The results are
/// fresh copies; the experiment is not changed.
/// </summary>
public static class ToolkitValues
{
    /// <summary>
    /// Each declared key in order: an override (--var, var file) replaces the declared value, even with a whole
    /// <c>{type: env}</c> definition; an override for a key that is not declared is ignored. A <c>{type: env}</c>
    /// mapping becomes the variable's text (even "") or else its <c>default</c>, converted by <c>env_var_type</c>.
    /// Other mappings, including dynamic <c>{type: probe}</c> values, are kept raw.
    /// </summary>
    /// <exception cref="ToolkitException">An unset variable without a default (chaoslib's message), or a value chaoslib
    /// cannot convert.</exception>
    public static JsonObject LoadConfiguration(
        JsonObject? configuration, IReadOnlyDictionary<string, JsonNode?> overrides, Func<string, string?> environment)
    {
        var loaded = new JsonObject();
        foreach (var (key, declared) in configuration ?? [])
        {
            var value = overrides.TryGetValue(key, out var given) ? given : declared;
            loaded[key] = IsOfType(value, "env", out var definition)
                ? FromEnvironment(key, definition, environment)
                : value?.DeepClone();
        }

        return loaded;
    }

    /// <summary>
    /// Scope name to mapping, recursively: a <c>{type: env}</c> mapping becomes the variable's raw text (no default,
    /// no conversion), any other mapping is resolved the same way inside, other values are kept.
    /// </summary>
    /// <exception cref="ToolkitException">An unset variable (chaoslib's message), or a Vault secret.</exception>
    public static JsonObject LoadSecrets(JsonObject? secrets, Func<string, string?> environment)
    {
        var loaded = new JsonObject();
        foreach (var (key, value) in secrets ?? [])
        {
            loaded[key] = value switch
            {
                _ when IsOfType(value, "env", out var definition) => SecretFromEnvironment(key, definition, environment),
                _ when IsOfType(value, "vault", out _) => throw new ToolkitException(
                    $"vault secrets are not supported here: secret '{key}' asks Vault for its value; give it as {{\"type\": \"env\", \"key\": ...}} or as a plain value"),
                JsonObject nested => LoadSecrets(nested, environment),
                _ => value?.DeepClone(),
            };
        }

        return loaded;
    }

    private static JsonValue SecretFromEnvironment(string key, JsonObject definition, Func<string, string?> environment)
    {
        var name = EnvironmentKey(definition, $"secret '{key}'");
        return JsonValue.Create(environment(name)
            ?? throw new ToolkitException($"Secrets make reference to an environment key that does not exist: {name}"));
    }

    private static JsonNode? FromEnvironment(string key, JsonObject definition, Func<string, string?> environment)
    {
        var name = EnvironmentKey(definition, $"configuration '{key}'");
        var text = environment(name);
        var hasDefault = definition.TryGetPropertyValue("default", out var fallback);
        if (text is null && !hasDefault)
        {
            throw new ToolkitException($"Configuration makes reference to an environment key that does not exist: {name}");
        }

        definition.TryGetPropertyValue("env_var_type", out var type);
        return EnvVarType.Convert(type, text is null ? fallback?.DeepClone() : JsonValue.Create(text), key);
    }

    private static string EnvironmentKey(JsonObject definition, string owner)
    {
        if (!definition.TryGetPropertyValue("key", out var key))
        {
            throw new ToolkitException($"chaoslib raises KeyError here: {owner} reads the environment but has no `key`");
        }

        return PythonValues.TypeOf(key) == PythonType.Str
            ? PythonValues.StringOf(key)
            : throw new ToolkitException($"chaoslib raises TypeError here: the `key` of {owner} must name an environment variable (str expected, not {PythonValues.TypeName(key)})");
    }

    /// <summary>A mapping whose <c>type</c> equals the given string, as chaoslib's <c>value.get("type") == ...</c>.</summary>
    private static bool IsOfType(JsonNode? value, string type, out JsonObject definition)
    {
        definition = value as JsonObject ?? [];
        return value is JsonObject mapping && mapping.TryGetPropertyValue("type", out var declared)
            && PythonValues.TypeOf(declared) == PythonType.Str && PythonValues.StringOf(declared) == type;
    }
}
