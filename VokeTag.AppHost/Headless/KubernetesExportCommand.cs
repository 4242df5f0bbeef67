using Microsoft.Extensions.Configuration;
using VokeTag.Experiments;
using VokeTag.Experiments.Kubernetes;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// <c>Chaos:Export=k8s Chaos:Engine=litmus|chaos-mesh [Chaos:Out=&lt;folder&gt;] [Chaos:Experiments=&lt;folder or file&gt;]</c>:
/// writes the experiment files as a kustomize tree for a cluster's chaos engine, without starting the lab, and says per
/// file what was exported and what was not and why. Exit 0 when every file was read (a file whose faults the engine
/// cannot inject is not exported, and that is an answer, not an error), 2 for bad settings or a file with problems.
/// </summary>
public static class KubernetesExportCommand
{
    public const string ExportSetting = "Chaos:Export";
    public const string EngineSetting = "Chaos:Engine";
    public const string OutSetting = "Chaos:Out";

    private static readonly string[] Keys = ["Export", "Engine", "Out", "Experiments"];

    public static bool Requested(IConfiguration configuration) => configuration[ExportSetting] is not null;

    public static int Run(IConfiguration configuration, string appHostDirectory, TextWriter output, TextWriter error)
    {
        const string Usage = "dotnet run --project VokeTag.AppHost -- Chaos:Export=k8s Chaos:Engine=litmus [Chaos:Out=deploy/k8s] [Chaos:Experiments=experiments]";
        if (configuration.GetSection("Chaos").GetChildren().Select(child => child.Key).FirstOrDefault(key => !Keys.Contains(key, StringComparer.OrdinalIgnoreCase)) is { } other)
        {
            error.WriteLine($"Chaos:{other} is not a setting of the export; allowed: {string.Join(", ", Keys.Select(key => $"Chaos:{key}"))}. Usage: {Usage}");
            return HeadlessRun.RequestRefused;
        }

        if (configuration[ExportSetting] != "k8s")
        {
            error.WriteLine($"{ExportSetting} is '{configuration[ExportSetting]}'; allowed: k8s. Usage: {Usage}");
            return HeadlessRun.RequestRefused;
        }

        if (ExportEngine.Find(configuration[EngineSetting]) is not { } engine)
        {
            error.WriteLine($"{EngineSetting} is {(configuration[EngineSetting] is { } given ? $"'{given}'" : "missing")}; allowed: {ExportEngine.Names}. Usage: {Usage}");
            return HeadlessRun.RequestRefused;
        }

        var checkout = Path.GetFullPath(Path.Combine(appHostDirectory, ".."));
        var source = configuration[ExperimentFilesCommand.FolderSetting] is { Length: > 0 } folder
            ? ExperimentFilesCommand.Resolve(folder, appHostDirectory)
            : ExperimentFilesCommand.Folder(configuration, appHostDirectory);
        if (!File.Exists(source) && !Directory.Exists(source))
        {
            error.WriteLine($"{ExperimentFilesCommand.FolderSetting} is '{configuration[ExperimentFilesCommand.FolderSetting]}': no such file or folder ({source}).");
            return HeadlessRun.RequestRefused;
        }

        var outFolder = configuration[OutSetting] is { Length: > 0 } typed
            ? Path.GetFullPath(typed, ExperimentFilesCommand.TypedIn)
            : Path.Combine(checkout, KubernetesExport.DefaultOut);
        var tree = KubernetesExport.Build(ExperimentFolder.Read(source), engine);
        KubernetesExport.Write(tree, outFolder);
        ExportReport.Write(tree, ExperimentFilesCommand.Shown(outFolder), output);

        // The design document's own path, kept in step with the default export of the checkout's files.
        var defaults = configuration[OutSetting] is null && configuration[ExperimentFilesCommand.FolderSetting] is null;
        if (defaults && tree.Text($"experiments/{KubernetesExport.DesignDocumentExperiment}/chaos.yaml") is { } example)
        {
            KubernetesExport.WriteFile(Path.Combine(checkout, KubernetesExport.DesignDocumentExample), example);
            output.WriteLine($"Also wrote {KubernetesExport.DesignDocumentExample} (the design document's example): the same as experiments/{KubernetesExport.DesignDocumentExperiment}/chaos.yaml.");
        }

        output.WriteLine($"Next: build the images (see {ExperimentFilesCommand.Shown(Path.Combine(outFolder, "README.md"))}), cp {LabManifests.EnvExample} {LabManifests.EnvFile} in that folder and choose the passwords, " +
            $"kubectl apply -k {ExperimentFilesCommand.Shown(outFolder)}, then one experiment: kubectl apply -k {ExperimentFilesCommand.Shown(Path.Combine(outFolder, "experiments"))}/<name>.");
        return tree.Experiments.Any(export => export.Status == ExportStatus.Invalid) ? HeadlessRun.RequestRefused : 0;
    }
}
