using k8s;
using k8s.Models;

namespace VokeTag.Export.Tests;

/// <summary>
/// Every core-kind manifest the export writes reads into KubernetesClient's typed model with strict deserialization, so
/// a misspelt or misplaced field (which the API server would drop or, with kubectl's strict validation, refuse) fails.
/// </summary>
public class CoreKindsTests
{
    /// <summary>The core kinds the export writes (and kustomize adds: the Secret, the ConfigMaps), by apiVersion/kind.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Models = new Dictionary<string, Type>
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/Service"] = typeof(V1Service),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/Secret"] = typeof(V1Secret),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["apps/v1/StatefulSet"] = typeof(V1StatefulSet),
        ["batch/v1/Job"] = typeof(V1Job),
        ["rbac.authorization.k8s.io/v1/Role"] = typeof(V1Role),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = typeof(V1RoleBinding),
    };

    /// <summary>Reads a manifest strictly into its model; null for a kind that is not core (a CRD's).</summary>
    public static IKubernetesObject? ReadStrictly(Manifest manifest)
    {
        if (!Models.TryGetValue($"{manifest.ApiVersion}/{manifest.Kind}", out var model))
        {
            return null;
        }

        var read = typeof(KubernetesYaml).GetMethods()
            .Single(method => method is { Name: nameof(KubernetesYaml.Deserialize), IsGenericMethod: true } && method.GetParameters() is [{ ParameterType.Name: "String" }, _])
            .MakeGenericMethod(model);
        try
        {
            return (IKubernetesObject)read.Invoke(null, [manifest.Yaml, true])!;
        }
        catch (System.Reflection.TargetInvocationException wrapped) when (wrapped.InnerException is { } problem)
        {
            throw new Xunit.Sdk.XunitException($"{manifest}: not a valid {model.Name}: {problem.Message} {problem.InnerException?.Message}");
        }
    }

    [Theory]
    [MemberData(nameof(Exports.Engines), MemberType = typeof(Exports))]
    public void Every_core_kind_reads_strictly_into_its_typed_model(string engine)
    {
        var core = Exports.Manifests(Exports.Tree(engine)).Where(manifest => !manifest.ApiVersion.Contains("chaos", StringComparison.Ordinal)).ToList();

        Assert.All(core, manifest => Assert.NotNull(ReadStrictly(manifest)));
        Assert.Contains(core, manifest => manifest.Kind == "Job");
    }

    [Fact]
    public void The_api_runs_two_replicas_ready_on_health_and_alive_on_alive()
    {
        var api = (V1Deployment)ReadStrictly(Exports.Manifests(Exports.Tree(ExportEngine.Litmus)).Single(manifest => manifest.Kind == "Deployment"))!;
        var container = Assert.Single(api.Spec.Template.Spec.Containers);

        Assert.Equal(2, api.Spec.Replicas);
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("voketag-api", container.Image);
    }

    [Fact]
    public void Passwords_come_from_the_generated_secret_and_no_manifest_holds_one()
    {
        var tree = Exports.Tree(ExportEngine.Litmus);
        var env = Exports.Manifests(tree).Select(ReadStrictly).OfType<V1StatefulSet>()
            .SelectMany(set => set.Spec.Template.Spec.Containers).SelectMany(container => container.Env).ToList();

        Assert.All(env.Where(variable => variable.Name.EndsWith("PASSWORD", StringComparison.Ordinal)),
            variable => Assert.Equal(Workloads.SecretName, variable.ValueFrom.SecretKeyRef.Name));
        Assert.DoesNotContain(tree.Files, file => file.Path == LabManifests.EnvFile);
        Assert.All(tree.Files.Where(file => file.Path != LabManifests.EnvExample), file => Assert.DoesNotContain("replace-with-a", file.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_field_fails_strict_reading()
    {
        var api = Exports.Manifests(Exports.Tree(ExportEngine.Litmus)).Single(manifest => manifest.Kind == "Deployment");
        var misspelt = api with { Yaml = api.Yaml.Replace("  replicas: 2", "  replica: 2", StringComparison.Ordinal) };

        Assert.Throws<Xunit.Sdk.XunitException>(() => ReadStrictly(misspelt));
    }
}
