using VokeTag.AppHost.Lab;
using static VokeTag.AppHost.Tests.Lab.ContainerProbes;

namespace VokeTag.AppHost.Tests.Lab;

public class LabRuntimeSelectorTests
{
    private static readonly LocalBinaries Complete = new("/usr/lib/postgresql/15/bin", "/usr/bin/redis-server", RunningAsRoot: true, CanDropToPostgresUser: true);
    private static readonly LocalBinaries NoPostgres = Complete with { PostgresBinDirectory = null };
    private static readonly LocalBinaries RootWithoutPostgresUser = Complete with { CanDropToPostgresUser = false };

    [Fact]
    public void Auto_prefers_containers_when_an_engine_answers()
    {
        Assert.Equal(LabRuntime.Container, LabRuntimeSelector.Select(LabRuntime.Auto, () => Engine("docker"), () => NoPostgres));
    }

    [Fact]
    public void Auto_falls_back_to_processes_without_an_engine()
    {
        Assert.Equal(LabRuntime.Process, LabRuntimeSelector.Select(LabRuntime.Auto, () => NoEngine, () => Complete));
    }

    [Fact]
    public void Redis_server_is_optional_because_the_embedded_server_stands_in()
    {
        var noRedis = Complete with { RedisServer = null };

        Assert.Equal(LabRuntime.Process, LabRuntimeSelector.Select(LabRuntime.Process, () => NoEngine, () => noRedis));
    }

    [Fact]
    public void Auto_with_neither_says_what_is_missing_and_how_to_install_it()
    {
        var problem = Assert.Throws<LabSetupException>(() => LabRuntimeSelector.Select(LabRuntime.Auto, () => NoEngine, () => NoPostgres));

        Assert.Contains("docker/podman", problem.Message);
        Assert.Contains("initdb", problem.Message);
        Assert.Contains("apt-get install -y postgresql", problem.Fix);
    }

    [Fact]
    public void Container_without_an_engine_points_to_process_mode()
    {
        var problem = Assert.Throws<LabSetupException>(() => LabRuntimeSelector.Select(LabRuntime.Container, () => NoEngine, () => Complete));

        Assert.Contains("Lab:Runtime=process", problem.Fix);
    }

    [Fact]
    public void Process_as_root_needs_a_user_postgres_accepts()
    {
        var problem = Assert.Throws<LabSetupException>(() => LabRuntimeSelector.Select(LabRuntime.Process, () => Engine("docker"), () => RootWithoutPostgresUser));

        Assert.Contains("non-root", problem.Message);
        Assert.Contains("setpriv", problem.Message);
    }

    [Fact]
    public void The_message_printed_on_failure_has_no_stack_trace()
    {
        var problem = Assert.Throws<LabSetupException>(() => LabRuntimeSelector.Select(LabRuntime.Process, () => NoEngine, () => NoPostgres));

        var printed = problem.ToString();
        Assert.StartsWith("The lab cannot start:", printed);
        Assert.Contains("Fix: ", printed);
        Assert.DoesNotContain(" at ", printed);
    }
}
