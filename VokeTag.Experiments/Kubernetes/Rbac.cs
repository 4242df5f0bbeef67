namespace VokeTag.Experiments.Kubernetes;

/// <summary>A ServiceAccount and the Role it is bound to in the lab's namespace, for an experiment's chaos runner or worker.</summary>
public static class Rbac
{
    /// <summary>The labels of every resource an experiment's export writes.</summary>
    public static ManifestMap Labels(string experiment) => new()
    {
        [LabTopology.PartOfLabel] = LabTopology.PartOf,
        [LabTopology.ExperimentLabel] = experiment,
    };

    public static IReadOnlyList<ManifestMap> ServiceAccount(string name, string experiment, IReadOnlyList<ManifestMap> rules) =>
    [
        new ManifestMap
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = Metadata(name, experiment),
        },
        new ManifestMap
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = Metadata(name, experiment),
            ["rules"] = rules,
        },
        new ManifestMap
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = Metadata(name, experiment),
            ["roleRef"] = new ManifestMap { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = name },
            ["subjects"] = new[] { new ManifestMap { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = LabTopology.Namespace } },
        },
    ];

    public static ManifestMap Rule(string apiGroup, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = new[] { apiGroup },
        ["resources"] = resources,
        ["verbs"] = verbs,
    };

    private static ManifestMap Metadata(string name, string experiment) => new()
    {
        ["name"] = name,
        ["namespace"] = LabTopology.Namespace,
        ["labels"] = Labels(experiment),
    };
}
