namespace VokeTag.Experiments.Kubernetes;

/// <summary>What the export command prints: per experiment file what was written and what was not, and why.</summary>
public static class ExportReport
{
    public static void Write(KubernetesTree tree, string shownFolder, TextWriter output)
    {
        output.WriteLine($"Export for {tree.Engine.Title} ({tree.Engine.Versions}) into {shownFolder}:");
        output.WriteLine($"  the lab: kustomization.yaml, namespace.yaml, api.yaml, redis.yaml, postgres.yaml, {LabManifests.EnvExample}, README.md");
        foreach (var export in tree.Experiments)
        {
            if (export.Exported)
            {
                var resources = export.Resources!;
                output.WriteLine($"  {export.Name,-22} exported: {export.Folder} ({string.Join(", ", resources.Resources)})");
                foreach (var fault in resources.Faults)
                {
                    output.WriteLine($"      fault {fault.Fault} -> {fault.Equivalent}");
                }

                output.WriteLine(resources.Probes.Count == 0
                    ? $"      probes: none ({tree.Engine.Title}'s verdict checks no criterion)"
                    : $"      probes: {string.Join("; ", resources.Probes.Select(probe => probe.Describe()))}");
                output.WriteLine($"      judged by the worker only: {string.Join(", ", resources.WorkerOnly.Select(criterion => criterion.Name))}");
                continue;
            }

            output.WriteLine($"  {export.Name ?? export.File,-22} NOT exported ({export.File}): {export.Why}");
            foreach (var problem in export.Problems ?? [])
            {
                output.WriteLine($"      {problem}");
            }
        }

        var skipped = tree.Experiments.Where(export => !export.Exported).ToList();
        output.WriteLine($"{tree.Experiments.Count - skipped.Count} of {tree.Experiments.Count} experiment file(s) exported" +
            (skipped.Count == 0 ? "." : $"; not: {string.Join(", ", skipped.Select(export => $"{export.Name ?? export.File} ({Reason(export)})"))}."));
    }

    private static string Reason(ExperimentExport export) => export.Status switch
    {
        ExportStatus.NoEquivalent => string.Join(", ", export.Resources!.Faults.Where(fault => !fault.HasEquivalent).Select(fault => fault.Fault)),
        ExportStatus.ChaosToolkit => "Chaos Toolkit file",
        ExportStatus.Invalid => "has problems",
        _ => "name too long",
    };
}
