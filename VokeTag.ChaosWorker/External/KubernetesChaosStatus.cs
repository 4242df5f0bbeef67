using System.Text.Json;
using k8s;

namespace VokeTag.ChaosWorker.External;

/// <summary>
/// Reads a chaos engine's resources through the Kubernetes API (read only: the exported Role grants get/list and
/// nothing more). Litmus: the experiment's ChaosResults (one per ChaosEngine, named after it: <c>&lt;experiment&gt;…</c>),
/// their phase and verdict. Chaos Mesh: the PodChaos, NetworkChaos, StressChaos and Workflows the export labels with
/// the experiment, their <c>AllInjected</c> / <c>AllRecovered</c> / <c>Accomplished</c> conditions; it has no verdict.
/// </summary>
public sealed class KubernetesChaosStatus(IKubernetes kubernetes, string engine, string @namespace) : IExternalFaults
{
    public const string ExperimentLabel = "chaos.voketag.dev/experiment";

    public static readonly IReadOnlyList<string> Engines = ["litmus", "chaos-mesh"];

    private static readonly string[] ChaosMeshKinds = ["podchaos", "networkchaos", "stresschaos"];

    public string Engine => engine;

    /// <summary>In the cluster (the worker's Job, by its service account), or at <paramref name="host"/> (a test's stub, a proxy).</summary>
    /// <exception cref="InvalidOperationException">No host given and this is not a pod in a cluster.</exception>
    public static KubernetesChaosStatus Create(string engine, string @namespace, string? host)
    {
        try
        {
            return new(new Kubernetes(host is { Length: > 0 } ? new KubernetesClientConfiguration { Host = host } : KubernetesClientConfiguration.InClusterConfig()),
                engine, @namespace);
        }
        catch (k8s.Exceptions.KubeConfigException exception)
        {
            throw new InvalidOperationException(
                $"Chaos:KubernetesHost is not set and this is not a pod in a cluster ({exception.Message}); measure-only mode reads {engine}'s resources through the Kubernetes API.", exception);
        }
    }

    public Task<ExternalFaultState> ReadAsync(string experiment, CancellationToken cancellationToken) =>
        engine == "litmus" ? LitmusAsync(experiment, cancellationToken) : ChaosMeshAsync(experiment, cancellationToken);

    private async Task<ExternalFaultState> LitmusAsync(string experiment, CancellationToken cancellationToken)
    {
        var results = (await ListAsync("litmuschaos.io", "chaosresults", null, cancellationToken))
            .Where(item => Name(item) == experiment || Name(item).StartsWith($"{experiment}-", StringComparison.Ordinal))
            .Select(item => (Name: Name(item), Phase: Text(item, "status", "experimentStatus", "phase"), Verdict: Text(item, "status", "experimentStatus", "verdict")))
            .OrderBy(result => result.Name, StringComparer.Ordinal)
            .ToList();
        var detail = results.Count == 0
            ? $"no ChaosResult named {experiment}-… in {@namespace}"
            : string.Join("; ", results.Select(result => $"ChaosResult {result.Name}: phase {result.Phase ?? "none"}, verdict {result.Verdict ?? "none"}"));
        var verdicts = results.Select(result => result.Verdict).OfType<string>().Distinct().ToList();
        return new ExternalFaultState(
            Found: results.Count > 0,
            Active: results.Any(result => result.Phase == "Running"),
            Ended: results.Count > 0 && results.All(result => result.Phase is "Completed" or "Stopped" or "Error" || result.Verdict is "Pass" or "Fail" or "Stopped"),
            Verdict: verdicts.Count == 0 ? null : string.Join(", ", verdicts),
            Detail: detail);
    }

    private async Task<ExternalFaultState> ChaosMeshAsync(string experiment, CancellationToken cancellationToken)
    {
        var selector = $"{ExperimentLabel}={experiment}";
        var chaos = new List<(string Name, bool Injected, bool Recovered)>();
        foreach (var kind in ChaosMeshKinds)
        {
            chaos.AddRange((await ListAsync("chaos-mesh.org", kind, selector, cancellationToken))
                .Select(item => ($"{kind}/{Name(item)}", Condition(item, "AllInjected"), Condition(item, "AllRecovered"))));
        }

        var workflows = (await ListAsync("chaos-mesh.org", "workflows", selector, cancellationToken))
            .Select(item => (Name: $"workflow/{Name(item)}", Accomplished: Condition(item, "Accomplished")))
            .ToList();
        var detail = chaos.Count + workflows.Count == 0
            ? $"no Chaos Mesh resource labelled {selector} in {@namespace}"
            : string.Join("; ", chaos.Select(item => $"{item.Name}: injected {item.Injected}, recovered {item.Recovered}")
                .Concat(workflows.Select(workflow => $"{workflow.Name}: accomplished {workflow.Accomplished}")));
        var found = chaos.Count + workflows.Count > 0;
        return new ExternalFaultState(
            Found: found,
            Active: chaos.Any(item => item.Injected && !item.Recovered) || workflows.Any(workflow => !workflow.Accomplished),
            Ended: found && chaos.All(item => item.Recovered) && workflows.All(workflow => workflow.Accomplished),
            Verdict: null,
            Detail: detail);
    }

    private async Task<IReadOnlyList<JsonElement>> ListAsync(string group, string plural, string? labelSelector, CancellationToken cancellationToken)
    {
        var list = await kubernetes.CustomObjects.ListNamespacedCustomObjectAsync(group, "v1alpha1", @namespace, plural,
            labelSelector: labelSelector, cancellationToken: cancellationToken);
        var element = list is JsonElement json ? json : JsonSerializer.SerializeToElement(list);
        return element.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];
    }

    private static string Name(JsonElement item) => Text(item, "metadata", "name") ?? "";

    private static string? Text(JsonElement item, params string[] path)
    {
        foreach (var key in path)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(key, out item))
            {
                return null;
            }
        }

        return item.ValueKind == JsonValueKind.String ? item.GetString() : null;
    }

    private static bool Condition(JsonElement item, string type) =>
        item.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array
        && conditions.EnumerateArray().Any(condition => Text(condition, "type") == type && Text(condition, "status") == "True");
}
