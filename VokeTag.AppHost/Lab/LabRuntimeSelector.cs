namespace VokeTag.AppHost.Lab;

/// <summary>Turns <c>Lab:Runtime</c> into the runtime this start will use, or explains why the lab cannot start.</summary>
public static class LabRuntimeSelector
{
    public static LabRuntime Select(LabRuntime requested, Func<ContainerProbe> findContainerRuntime, Func<LocalBinaries> findLocalBinaries)
    {
        switch (requested)
        {
            case LabRuntime.Container:
                var probe = findContainerRuntime();
                return probe.Runtime is not null
                    ? LabRuntime.Container
                    : throw new LabSetupException(
                        $"Lab:Runtime is 'container' but no container engine answers ({probe.Describe()}).",
                        "start Docker or Podman, or run without containers: dotnet run --project VokeTag.AppHost -- Lab:Runtime=process");
            case LabRuntime.Process:
                findLocalBinaries().ThrowIfIncomplete();
                return LabRuntime.Process;
            default:
                var answering = findContainerRuntime();
                if (answering.Runtime is not null)
                {
                    return LabRuntime.Container;
                }

                var binaries = findLocalBinaries();
                if (binaries.IsComplete)
                {
                    return LabRuntime.Process;
                }

                throw new LabSetupException(
                    $"no container runtime answers (docker/podman: {answering.Describe()}), and process mode lacks {binaries.Missing}.",
                    $"start Docker or Podman, or install the missing pieces: {binaries.InstallCommand}");
        }
    }
}
