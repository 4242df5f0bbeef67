using System.Diagnostics;
using k8s.Models;

namespace VokeTag.Export.Tests;

/// <summary>
/// <c>kubectl kustomize</c> builds the exported tree, the lab at its root and each experiment's folder, with the env file
/// a user creates from the example; what it builds reads strictly into the typed models (the generated Secret and
/// ConfigMaps too) and names the images kustomize's <c>images:</c> set. Reported as skipped where kubectl is absent.
/// </summary>
public class KustomizeTests
{
    private static readonly string? Kubectl = new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }
        .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(folder => Path.Combine(folder, "kubectl")))
        .FirstOrDefault(File.Exists);

    [SkippableTheory]
    [MemberData(nameof(Exports.Engines), MemberType = typeof(Exports))]
    public async Task Kustomize_builds_the_lab_and_every_experiment(string engine)
    {
        Skip.If(Kubectl is null, "kubectl is not installed: the kustomize build did not run.");
        var tree = Exports.Tree(engine);
        var folder = Exports.WriteToTemp(tree);
        try
        {
            File.Copy(Path.Combine(folder, LabManifests.EnvExample), Path.Combine(folder, LabManifests.EnvFile));

            var lab = await BuildAsync(folder);
            Assert.Equal(["Deployment api", "Namespace voketag", "Secret voketag-secrets", "Service api", "Service postgres", "Service redis", "StatefulSet postgres", "StatefulSet redis"],
                lab.Select(manifest => $"{manifest.Kind} {manifest.Name}").Order(StringComparer.Ordinal));
            var images = lab.Select(CoreKindsTests.ReadStrictly).SelectMany(Containers).Select(container => container.Image).Order(StringComparer.Ordinal);
            Assert.Equal(["docker.io/library/postgres:18.3", "docker.io/library/redis:8.6", "voketag/api:1.0"], images);

            foreach (var experiment in tree.Experiments.Where(export => export.Exported))
            {
                var built = await BuildAsync(Path.Combine(folder, experiment.Folder!));
                var job = built.Select(CoreKindsTests.ReadStrictly).OfType<V1Job>().Single();
                var configMap = built.Single(manifest => manifest.Kind == "ConfigMap");
                Assert.Equal(configMap.Name, job.Spec.Template.Spec.Volumes.Single(volume => volume.ConfigMap is not null).ConfigMap.Name);
                Assert.StartsWith($"{experiment.Name}-experiment-", configMap.Name, StringComparison.Ordinal);
                Assert.Equal("voketag/chaos:1.0", Assert.Single(job.Spec.Template.Spec.Containers).Image);
                Assert.Contains(built, manifest => manifest.ApiVersion.Contains("chaos", StringComparison.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Without_the_env_file_kustomize_refuses_and_names_it()
    {
        Skip.If(Kubectl is null, "kubectl is not installed: the kustomize build did not run.");
        var folder = Exports.WriteToTemp(Exports.Tree(ExportEngine.Litmus));
        try
        {
            var (exit, _, error) = await RunAsync(folder);

            Assert.NotEqual(0, exit);
            Assert.Contains(LabManifests.EnvFile, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<V1Container> Containers(k8s.IKubernetesObject? resource) => resource switch
    {
        V1Deployment deployment => deployment.Spec.Template.Spec.Containers,
        V1StatefulSet statefulSet => statefulSet.Spec.Template.Spec.Containers,
        _ => [],
    };

    private static async Task<IReadOnlyList<Manifest>> BuildAsync(string folder)
    {
        var (exit, output, error) = await RunAsync(folder);
        Assert.True(exit == 0, $"kubectl kustomize {folder} failed ({exit}): {error}");
        var manifests = Exports.Split(output).Select((text, index) => new Manifest($"kustomize {folder}", index, Exports.Document(text), text)).ToList();
        Assert.All(manifests.Where(manifest => !manifest.ApiVersion.Contains("chaos", StringComparison.Ordinal)), manifest => Assert.NotNull(CoreKindsTests.ReadStrictly(manifest)));
        return manifests;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string folder)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var start = new ProcessStartInfo(Kubectl!, ["kustomize", folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {folder} did not finish within a minute.");
        }

        return (process.ExitCode, await output, await error);
    }
}
