namespace VokeTag.Experiments.Kubernetes;

/// <summary>The building blocks the lab's manifests share: metadata, selectors, a Service, secrets in the environment.</summary>
public static class Workloads
{
    /// <summary>The Secret kustomize generates from the uncommitted env file, under this name (no hash suffix, so that
    /// each experiment's own kustomization can name it too).</summary>
    public const string SecretName = "voketag-secrets";

    public const string RedisPasswordKey = "REDIS_PASSWORD";
    public const string PostgresPasswordKey = "POSTGRES_PASSWORD";

    /// <summary>How the API and the worker reach PostgreSQL, with the password the container's env holds.</summary>
    public static readonly string PostgresConnection =
        $"Host={LabTopology.Postgres.Name};Port={LabTopology.Postgres.Port};Username=postgres;Password=$({PostgresPasswordKey});Database=voketag";

    /// <summary>How the API reaches Redis (StackExchange.Redis's form, as the lab hands it over).</summary>
    public static readonly string RedisConnection = $"{LabTopology.Redis.Name}:{LabTopology.Redis.Port},password=$({RedisPasswordKey})";

    public static ManifestMap Labels(LabWorkload workload) => new()
    {
        [LabWorkload.NameLabel] = workload.Name,
        [LabTopology.PartOfLabel] = LabTopology.PartOf,
    };

    public static ManifestMap Metadata(string name, ManifestMap labels) => new()
    {
        ["name"] = name,
        ["namespace"] = LabTopology.Namespace,
        ["labels"] = labels,
    };

    public static ManifestMap Selector(LabWorkload workload) => new()
    {
        ["matchLabels"] = new ManifestMap { [LabWorkload.NameLabel] = workload.Name },
    };

    public static ManifestMap Service(LabWorkload workload, string port) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata(workload.Name, Labels(workload)),
        ["spec"] = new ManifestMap
        {
            ["selector"] = new ManifestMap { [LabWorkload.NameLabel] = workload.Name },
            ["ports"] = new[] { new ManifestMap { ["name"] = port, ["port"] = workload.Port, ["targetPort"] = port } },
        },
    };

    public static ManifestMap Port(string name, int port) => new() { ["name"] = name, ["containerPort"] = port };

    /// <summary>An env variable from the lab's Secret; later variables can use it as <c>$(NAME)</c>.</summary>
    public static ManifestMap Secret(string key) => new()
    {
        ["name"] = key,
        ["valueFrom"] = new ManifestMap { ["secretKeyRef"] = new ManifestMap { ["name"] = SecretName, ["key"] = key } },
    };

    public static ManifestMap Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    public static ManifestMap Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        ["requests"] = new ManifestMap { ["cpu"] = cpuRequest, ["memory"] = memoryRequest },
        ["limits"] = new ManifestMap { ["cpu"] = cpuLimit, ["memory"] = memoryLimit },
    };

    public static ManifestMap HttpCheck(string path, int periodSeconds) => new()
    {
        ["httpGet"] = new ManifestMap { ["path"] = path, ["port"] = "http" },
        ["periodSeconds"] = periodSeconds,
        ["timeoutSeconds"] = 2,
        ["failureThreshold"] = 3,
    };
}
