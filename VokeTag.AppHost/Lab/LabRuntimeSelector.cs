namespace VokeTag.AppHost.Lab;

/// <summary>Turns <c>Lab:Runtime</c> into the runtime this start will use, or explains why the lab cannot start.</summary>
public static class LabRuntimeSelector
{
    public static LabRuntime Select(LabRuntime requested, Func<string?> findContainerRuntime, Func<LocalBinaries> findLocalBinaries)
    {
        switch (requested)
        {
            case LabRuntime.Container:
                return findContainerRuntime() is not null
                    ? LabRuntime.Container
                    : throw new LabSetupException(
                        "Lab:Runtime is 'container' but neither Docker nor Podman answers ('docker info' failed).",
                        "start Docker or Podman, or run without containers: dotnet run --project VokeTag.AppHost -- Lab:Runtime=process");
            case LabRuntime.Process:
                findLocalBinaries().ThrowIfIncomplete();
                return LabRuntime.Process;
            default:
                if (findContainerRuntime() is not null)
                {
                    return LabRuntime.Container;
                }

                var binaries = findLocalBinaries();
                if (binaries.IsComplete)
                {
                    return LabRuntime.Process;
                }

                throw new LabSetupException(
                    $"no container runtime answers (docker/podman), and process mode lacks {binaries.Missing}.",
                    $"start Docker or Podman, or install the missing pieces: {binaries.InstallCommand}");
        }
    }
}
