namespace VokeTag.Experiments.Kubernetes;

/// <summary>A workload of the lab in the cluster: what an engine selects (its label) and how the API reaches it.</summary>
/// <param name="Kind">As Litmus names it: <c>deployment</c> or <c>statefulset</c>.</param>
public sealed record LabWorkload(string Name, string Kind, int Replicas, int Port)
{
    /// <summary>The label every pod of the workload carries, and engines select by.</summary>
    public const string NameLabel = "app.kubernetes.io/name";

    public string Selector => $"{NameLabel}={Name}";
}

/// <summary>
/// The lab as the exported manifests lay it out in namespace <c>voketag</c>: the API (two replicas, port 8080 as .NET's
/// container images listen), Redis and PostgreSQL, and which of them each lab resource of an experiment file stands
/// for. The fault proxies (<c>cache-proxy</c>, <c>db-proxy</c>) are not deployed: a fault on one becomes a network fault
/// on the API's pods towards the server behind it.
/// </summary>
public static class LabTopology
{
    public const string Namespace = "voketag";

    /// <summary>Label on every exported resource, so that <c>kubectl get all -l</c> finds the lab's.</summary>
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string PartOf = "voketag-lab";

    /// <summary>Label and annotation prefix the export's own keys use (which experiment a resource belongs to, …).</summary>
    public const string Prefix = "chaos.voketag.dev";
    public const string ExperimentLabel = $"{Prefix}/experiment";

    public static readonly LabWorkload Api = new("api", "deployment", 2, 8080);

    /// <summary>The cores the API's container may use (its CPU limit): what a CPU share of "every core" burns.</summary>
    public const int ApiCores = 1;
    public static readonly LabWorkload Redis = new("redis", "statefulset", 1, 6379);
    public static readonly LabWorkload Postgres = new("postgres", "statefulset", 1, 5432);

    /// <summary>The API as a client in the cluster reaches it (the worker's <c>Chaos:Target</c>).</summary>
    public static readonly string ApiUrl = $"http://{Api.Name}.{Namespace}.svc:{Api.Port}";

    /// <summary>A seeded tag (VT-000001 … VT-010000) that probes verify.</summary>
    public const string ProbeTag = "VT-000042";

    /// <summary>The lab resource an experiment file names, as the workload it runs as (a proxy: the server behind it).</summary>
    public static LabWorkload? Workload(string target) => target switch
    {
        "api" => Api,
        "cache" or "cache-proxy" => Redis,
        "db" or "db-proxy" => Postgres,
        _ => null,
    };

    /// <summary>The images the manifests name, as kustomize's <c>images:</c> sets them, and how each is built.</summary>
    public static readonly IReadOnlyList<LabImage> Images =
    [
        new("voketag-api", "voketag/api", "1.0", "dotnet publish VokeTag.SampleApi -t:PublishContainer -p:ContainerRepository=voketag/api -p:ContainerImageTag=1.0"),
        new("voketag-chaos", "voketag/chaos", "1.0", "dotnet publish VokeTag.ChaosWorker -t:PublishContainer -p:ContainerRepository=voketag/chaos -p:ContainerImageTag=1.0"),
        new("redis", "docker.io/library/redis", "8.6", "the official image, as the lab's container mode runs it"),
        new("postgres", "docker.io/library/postgres", "18.3", "the official image, as the lab's container mode runs it"),
    ];

    public static LabImage Image(string name) => Images.Single(image => image.Name == name);
}

/// <summary>An image as manifests name it (<paramref name="Name"/>) and what kustomize turns it into.</summary>
public sealed record LabImage(string Name, string NewName, string NewTag, string BuiltBy);
