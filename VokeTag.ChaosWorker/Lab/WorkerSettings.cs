using VokeTag.ChaosWorker.External;

namespace VokeTag.ChaosWorker.Lab;

/// <summary>
/// What the AppHost hands the worker: the API's address (service discovery), the lab control API's address and the
/// secret for this lab start. Missing values stop the worker at start with the variable named. In measure-only mode
/// (<see cref="MeasureOnlySettings"/>) the API is the one <c>Chaos:Target</c> names and there is no lab control.
/// </summary>
/// <param name="ProcessToken">
/// Set (<c>Chaos:ProcessToken</c>) only when the AppHost was started from the command line with
/// <c>Chaos:AllowProcess=true</c>: the one request that carries it, the command line's own, may run commands.
/// </param>
public sealed record WorkerSettings(Uri ApiAddress, Uri ControlAddress, string Secret, string? ProcessToken = null)
{
    /// <summary>Measure-only mode's settings, or null in the lab.</summary>
    public MeasureOnlySettings? MeasureOnly { get; init; }

    public static WorkerSettings Read(IConfiguration configuration)
    {
        if (MeasureOnlySettings.Read(configuration) is { } measureOnly)
        {
            // No lab control: nothing listens at its address, and nothing in this mode calls it for a fault.
            return new WorkerSettings(measureOnly.Target, new Uri(configuration["LabControl:Url"] is { Length: > 0 } url ? url : "http://127.0.0.1:1"),
                configuration["LabControl:Secret"] is { Length: > 0 } secret ? secret : Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)))
            {
                MeasureOnly = measureOnly,
            };
        }

        return new(
            new Uri(Required(configuration, "services:api:http:0")),
            new Uri(Required(configuration, "LabControl:Url")),
            Required(configuration, "LabControl:Secret"),
            configuration["Chaos:ProcessToken"] is { Length: > 0 } token ? token : null);
    }

    private static string Required(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{key} is not set. The chaos worker runs inside the lab (dotnet run --project VokeTag.AppHost), or measures a " +
                "system whose faults a chaos engine injects: Chaos:Target=<the API's URL> Chaos:Run=<experiments> Chaos:Engine=litmus|chaos-mesh.");
}

/// <summary>
/// Measure-only mode, for a cluster whose chaos engine (Litmus, Chaos Mesh) injects the faults: the worker sends the same
/// load, runs the same phases and judges the same criteria against <paramref name="Target"/>, waits for the engine to
/// report each experiment's fault live, records the engine's verdict beside its own, and exits with the verdict.
/// </summary>
/// <param name="Run">The experiments to run, by name (or <c>all</c>); the worker runs them at start and exits.</param>
/// <param name="KubernetesHost">The Kubernetes API's address; none: the cluster's own, by the pod's service account.</param>
/// <param name="Phases">Phase lengths in seconds (<c>Chaos:BaselineSeconds</c>, <c>ImpactSeconds</c>, <c>RecoverySeconds</c>, <c>SustainSeconds</c>), as a headless run takes them.</param>
public sealed record MeasureOnlySettings(Uri Target, IReadOnlyList<string> Run, string Engine, string Namespace, string? KubernetesHost,
    IReadOnlyDictionary<string, double>? Phases = null)
{
    /// <summary>How long the worker waits for the engine to inject, and then to recover, before it gives up.</summary>
    public static readonly TimeSpan EngineLimit = TimeSpan.FromMinutes(5);

    /// <returns>Null when <c>Chaos:Target</c> is not set (the lab's own mode).</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or wrong, named with what is allowed.</exception>
    public static MeasureOnlySettings? Read(IConfiguration configuration)
    {
        if (configuration["Chaos:Target"] is not { Length: > 0 } target)
        {
            return null;
        }

        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"Chaos:Target is '{target}'; allowed: the API's http(s) URL, e.g. http://api.voketag.svc:8080.");
        }

        var run = (configuration["Chaos:Run"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (run.Length == 0)
        {
            throw new InvalidOperationException("Chaos:Run is not set; measure-only mode (Chaos:Target) runs the experiments it names at start, e.g. Chaos:Run=redis-failure.");
        }

        var engine = configuration["Chaos:Engine"] ?? "";
        if (!KubernetesChaosStatus.Engines.Contains(engine))
        {
            throw new InvalidOperationException($"Chaos:Engine is '{engine}'; allowed: {string.Join(", ", KubernetesChaosStatus.Engines)} (the engine that injects the faults).");
        }

        var phases = new Dictionary<string, double>();
        foreach (var key in new[] { "BaselineSeconds", "ImpactSeconds", "RecoverySeconds", "SustainSeconds" }.Where(key => configuration[$"Chaos:{key}"] is not null))
        {
            phases[key] = double.TryParse(configuration[$"Chaos:{key}"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw new InvalidOperationException($"Chaos:{key} is '{configuration[$"Chaos:{key}"]}'; allowed: a number of seconds.");
        }

        return new MeasureOnlySettings(uri, run, engine, configuration["Chaos:Namespace"] is { Length: > 0 } ns ? ns : "voketag",
            configuration["Chaos:KubernetesHost"] is { Length: > 0 } host ? host : null, phases);
    }
}
