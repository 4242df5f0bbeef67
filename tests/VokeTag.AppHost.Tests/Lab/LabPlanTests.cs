using VokeTag.AppHost.Lab;
using static VokeTag.AppHost.Tests.Lab.ContainerProbes;

namespace VokeTag.AppHost.Tests.Lab;

public class LabPlanTests
{
    private static readonly LocalBinaries WithRedis = new("/usr/lib/postgresql/15/bin", "/usr/bin/redis-server", RunningAsRoot: false, CanDropToPostgresUser: false);
    private static readonly LocalBinaries WithoutRedis = WithRedis with { RedisServer = null };

    [Theory]
    [InlineData(LabRedisServer.Auto, "/usr/bin/redis-server")]
    [InlineData(LabRedisServer.RedisServer, "/usr/bin/redis-server")]
    [InlineData(LabRedisServer.Embedded, null)]
    public void Process_mode_runs_the_chosen_redis(LabRedisServer choice, string? expected)
    {
        var plan = LabPlan.Resolve(Settings(choice), () => NoEngine, () => WithRedis);

        Assert.Equal(LabRuntime.Process, plan.Runtime);
        Assert.Equal(expected, plan.RedisServerPath);
    }

    [Fact]
    public void Auto_without_redis_server_uses_the_embedded_server()
    {
        var plan = LabPlan.Resolve(Settings(LabRedisServer.Auto), () => NoEngine, () => WithoutRedis);

        Assert.Null(plan.RedisServerPath);
        Assert.Contains("embedded Garnet server", plan.Describe());
    }

    [Fact]
    public void Asking_for_redis_server_where_there_is_none_is_refused_before_anything_starts()
    {
        var problem = Assert.Throws<LabSetupException>(() => LabPlan.Resolve(Settings(LabRedisServer.RedisServer), () => NoEngine, () => WithoutRedis));

        Assert.Contains("Lab:Redis", problem.Message);
        Assert.Contains("apt-get install -y redis-server", problem.Fix);
    }

    [Fact]
    public void Container_mode_does_not_need_local_redis()
    {
        var plan = LabPlan.Resolve(Settings(LabRedisServer.RedisServer), () => Engine("podman"), () => WithoutRedis);

        Assert.Equal(LabRuntime.Container, plan.Runtime);
    }

    private static LabSettings Settings(LabRedisServer redis) => new(LabRuntime.Auto, redis, "/tmp/voketag-lab-tests");
}
