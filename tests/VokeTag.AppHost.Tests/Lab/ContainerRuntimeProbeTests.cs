using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Tests.Lab;

public class ContainerRuntimeProbeTests
{
    private const string PodmanOnDockerFormat =
        "Error: template: info:1:8: executing \"info\" at <.ServerVersion>: can't evaluate field ServerVersion in type *define.Info";

    [Fact]
    public void Podman_is_asked_in_its_own_terms_and_found_when_docker_has_no_engine()
    {
        var asked = new List<string>();
        var probe = ContainerRuntimeProbe.Probe(null, (command, arguments) =>
        {
            asked.Add($"{command} {string.Join(' ', arguments)}");
            return command switch
            {
                "docker" => (1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"),
                "podman" when arguments[^1] == "{{.Version.Version}}" => (0, ""),
                _ => (125, PodmanOnDockerFormat),
            };
        });

        Assert.Equal("podman", probe.Runtime);
        Assert.Equal(["docker info --format {{.ServerVersion}}", "podman info --format {{.Version.Version}}"], asked);
    }

    [Fact]
    public void Docker_is_preferred_when_its_engine_answers()
    {
        Assert.Equal("docker", ContainerRuntimeProbe.Probe(null, (_, _) => (0, "")).Runtime);
    }

    [Fact]
    public void ASPIRE_CONTAINER_RUNTIME_names_the_only_runtime_asked()
    {
        var asked = new List<string>();
        var probe = ContainerRuntimeProbe.Probe("podman", (command, _) =>
        {
            asked.Add(command);
            return (125, "Error: cannot connect to Podman");
        });

        Assert.Null(probe.Runtime);
        Assert.Equal(["podman"], asked);
        Assert.Contains("only podman was asked, because ASPIRE_CONTAINER_RUNTIME=podman", probe.Describe());
    }

    [Fact]
    public void The_refusal_names_each_runtime_tried_and_why_it_failed()
    {
        var probe = ContainerRuntimeProbe.Probe(null, (command, _) => command == "docker" ? (1, "Cannot connect to the Docker daemon\nmore") : null);

        var problem = Assert.Throws<LabSetupException>(() => LabRuntimeSelector.Select(LabRuntime.Container, () => probe, () => ContainerProbes.NoBinaries));

        Assert.Contains("docker: 'docker info' failed (exit 1): Cannot connect to the Docker daemon", problem.Message);
        Assert.Contains("podman: not installed", problem.Message);
        Assert.DoesNotContain("more", problem.Message);
    }
}

/// <summary>Probe results for the selector's tests.</summary>
public static class ContainerProbes
{
    public static readonly ContainerProbe NoEngine = new(null, ["docker: not installed", "podman: not installed"]);

    public static readonly LocalBinaries NoBinaries = new(null, null, RunningAsRoot: false, CanDropToPostgresUser: false);

    public static ContainerProbe Engine(string runtime) => new(runtime, []);
}
