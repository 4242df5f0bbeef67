namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// The lab in the cluster, as the kustomization at the root of the export: namespace <c>voketag</c>; the API
/// (Deployment, two replicas, ready on /health and alive on /alive, and its Service); Redis and PostgreSQL as
/// StatefulSets with Services, their passwords from a Secret kustomize generates from an env file nobody commits; and
/// the images, set in one place (<c>images:</c>).
/// </summary>
public static class LabManifests
{
    public const string EnvFile = "secrets.env";
    public const string EnvExample = "secrets.env.example";

    public static IReadOnlyList<(string Path, string Text)> Files(string header) =>
    [
        ("kustomization.yaml", Kustomization(header)),
        ("namespace.yaml", ManifestYaml.Write([Namespace()], [header])),
        ("api.yaml", ManifestYaml.Write([Api(), Workloads.Service(LabTopology.Api, "http")], [header])),
        ("redis.yaml", ManifestYaml.Write([StoreManifests.Redis(), Workloads.Service(LabTopology.Redis, "redis")], [header])),
        ("postgres.yaml", ManifestYaml.Write([StoreManifests.Postgres(), Workloads.Service(LabTopology.Postgres, "postgres")], [header])),
        (EnvExample,
            $"# The lab's passwords, for kustomize's secretGenerator. Copy to {EnvFile} (never committed: .gitignore) and choose your own.\n" +
            $"{Workloads.RedisPasswordKey}=replace-with-a-redis-password\n{Workloads.PostgresPasswordKey}=replace-with-a-postgres-password\n"),
        (".gitignore", $"# The lab's passwords stay on the machine that applies the tree.\n{EnvFile}\n"),
    ];

    /// <summary>The images the manifests name and what kustomize makes of them, as <c>images:</c> entries.</summary>
    public static List<ManifestMap> Images(IEnumerable<LabImage> images) =>
        [.. images.Select(image => new ManifestMap { ["name"] = image.Name, ["newName"] = image.NewName, ["newTag"] = image.NewTag })];

    private static string Kustomization(string header) => ManifestYaml.Write(
        [
            new ManifestMap
            {
                ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
                ["kind"] = "Kustomization",
                ["namespace"] = LabTopology.Namespace,
                ["resources"] = new[] { "namespace.yaml", "redis.yaml", "postgres.yaml", "api.yaml" },
                ["secretGenerator"] = new[]
                {
                    new ManifestMap
                    {
                        ["name"] = Workloads.SecretName,
                        ["envs"] = new[] { EnvFile },
                        ["options"] = new ManifestMap { ["disableNameSuffixHash"] = true },
                    },
                },
                ["images"] = Images(LabTopology.Images),
            },
        ],
        [
            header,
            "",
            "The lab: kubectl apply -k <this folder>. Then one experiment at a time: kubectl apply -k experiments/<name>.",
            $"Before: cp {EnvExample} {EnvFile} and choose the passwords (the file is not committed).",
            "Images (push them where the cluster pulls from, and set newName/newTag below to match):",
            .. LabTopology.Images.Select(image => $"  {image.Name}: {image.BuiltBy}"),
        ]);

    private static ManifestMap Namespace() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new ManifestMap
        {
            ["name"] = LabTopology.Namespace,
            ["labels"] = new ManifestMap { [LabTopology.PartOfLabel] = LabTopology.PartOf },
        },
    };

    private static ManifestMap Api()
    {
        var api = LabTopology.Api;
        return new ManifestMap
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = Workloads.Metadata(api.Name, Workloads.Labels(api)),
            ["spec"] = new ManifestMap
            {
                ["replicas"] = api.Replicas,
                ["selector"] = Workloads.Selector(api),
                ["template"] = new ManifestMap
                {
                    ["metadata"] = new ManifestMap { ["labels"] = Workloads.Labels(api) },
                    ["spec"] = new ManifestMap
                    {
                        ["containers"] = new[]
                        {
                            new ManifestMap
                            {
                                ["name"] = api.Name,
                                ["image"] = "voketag-api",
                                ["ports"] = new[] { Workloads.Port("http", api.Port) },
                                ["env"] = new[]
                                {
                                    Workloads.Secret(Workloads.RedisPasswordKey),
                                    Workloads.Secret(Workloads.PostgresPasswordKey),
                                    Workloads.Env("ConnectionStrings__cache", Workloads.RedisConnection),
                                    Workloads.Env("ConnectionStrings__voketag", Workloads.PostgresConnection),
                                },
                                // Ready: PostgreSQL answers with the lab's schema (Redis down only degrades it). Alive: the process answers.
                                ["readinessProbe"] = Workloads.HttpCheck("/health", 5),
                                ["livenessProbe"] = Workloads.HttpCheck("/alive", 10),
                                ["resources"] = Workloads.Resources("250m", "256Mi", "1", "512Mi"),
                            },
                        },
                    },
                },
            },
        };
    }
}
