using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace VokeTag.Export.Tests;

/// <summary>
/// The engines' CRDs (Litmus 3.x, Chaos Mesh 2.8.3) from <c>../shared/k8s-ref/</c>, each version's
/// <c>openAPIV3Schema</c> turned into a JSON Schema that checks what the API server checks, and what kubectl's strict
/// field validation adds: an object with declared properties takes no other field unless the CRD keeps unknown fields
/// (<c>x-kubernetes-preserve-unknown-fields</c>).
/// </summary>
public sealed class CrdSchemas
{
    /// <summary>Where the reference CRDs are, or null: <c>VOKETAG_K8S_REF</c>, else <c>shared/k8s-ref</c> in the checkout or a folder above it.</summary>
    public static readonly string? Folder = Find();

    private static readonly Lazy<CrdSchemas> Loaded = new(() => new CrdSchemas(Folder!));

    private readonly Dictionary<string, JsonObject> _schemas = [];

    private CrdSchemas(string folder)
    {
        foreach (var file in Directory.GetFiles(folder, "*crds*.yaml"))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            foreach (var document in stream.Documents.Select(document => YamlAsJson.Convert(document.RootNode)).OfType<JsonObject>()
                .Where(document => document["kind"]?.GetValue<string>() == "CustomResourceDefinition"))
            {
                var spec = document["spec"]!;
                foreach (var version in spec["versions"]!.AsArray())
                {
                    var key = $"{spec["group"]}/{version!["name"]}/{spec["names"]!["kind"]}";
                    _schemas[key] = Convert(version["schema"]!["openAPIV3Schema"]!.AsObject());
                }
            }
        }
    }

    /// <summary>Skips the calling test, reported as skipped, when the reference CRDs are not there.</summary>
    public static CrdSchemas Required()
    {
        Skip.If(Folder is null, "The engines' CRDs are not here (../shared/k8s-ref/ or VOKETAG_K8S_REF): the CRD schema check did not run.");
        return Loaded.Value;
    }

    public IReadOnlyCollection<string> Kinds => _schemas.Keys;

    /// <summary>Every problem of <paramref name="document"/> against its CRD (by apiVersion and kind); "no CRD" when there is none.</summary>
    public IReadOnlyList<string> Problems(JsonNode document)
    {
        var key = $"{document["apiVersion"]}/{document["kind"]}";
        return _schemas.TryGetValue(key, out var schema) ? Evaluate(schema, document) : [$"no CRD for {key}"];
    }

    /// <summary>Every problem of a chaos spec (a Workflow template's <c>podChaos</c>, …) against the <c>spec</c> of that kind's CRD.</summary>
    public IReadOnlyList<string> SpecProblems(string apiVersion, string kind, JsonNode spec) =>
        _schemas.TryGetValue($"{apiVersion}/{kind}", out var schema)
            ? Evaluate(schema["properties"]!["spec"]!.AsObject(), spec)
            : [$"no CRD for {apiVersion}/{kind}"];

    private static IReadOnlyList<string> Evaluate(JsonObject schema, JsonNode document)
    {
        var evaluation = JsonSchema.FromText(schema.ToJsonString())
            .Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return evaluation.IsValid
            ? []
            : [.. (evaluation.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key}: {error.Value}"))];
    }

    /// <summary>An OpenAPI v3 structural schema as a JSON Schema (2020-12), closed where Kubernetes prunes.</summary>
    public static JsonObject Convert(JsonObject openApi)
    {
        var schema = new JsonObject();
        foreach (var (key, value) in openApi)
        {
            switch (key)
            {
                case "properties":
                    schema[key] = new JsonObject(value!.AsObject().Select(property => KeyValuePair.Create(property.Key, (JsonNode?)Convert(property.Value!.AsObject()))));
                    break;
                case "items" or "not":
                    schema[key] = Convert(value!.AsObject());
                    break;
                case "additionalProperties":
                    schema[key] = value is JsonObject additional ? Convert(additional) : value!.DeepClone();
                    break;
                case "anyOf" or "allOf" or "oneOf":
                    schema[key] = new JsonArray([.. value!.AsArray().Select(item => (JsonNode?)Convert(item!.AsObject()))]);
                    break;
                case "type" or "enum" or "pattern" or "required" or "minimum" or "maximum" or "minLength" or "maxLength"
                    or "minItems" or "maxItems" or "minProperties" or "maxProperties" or "uniqueItems" or "multipleOf":
                    schema[key] = value?.DeepClone();
                    break;
            }
        }

        if (openApi["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            schema.Remove("type");
            schema.Remove("anyOf");
            schema["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        }

        if (openApi["nullable"]?.GetValue<bool>() == true && schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.DeepClone(), "null");
        }

        var keepsUnknown = openApi["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        if (openApi.ContainsKey("properties") && !openApi.ContainsKey("additionalProperties") && !keepsUnknown)
        {
            schema["additionalProperties"] = false;
        }

        return schema;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("VOKETAG_K8S_REF") is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var directory = new DirectoryInfo(Exports.Checkout); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "k8s-ref");
            if (Directory.Exists(candidate) && Directory.GetFiles(candidate, "*crds*.yaml").Length > 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
