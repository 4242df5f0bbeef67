using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Tests.Lab;

public class LabSettingsTests
{
    [Fact]
    public void Defaults_are_auto_and_a_folder_under_the_system_temp()
    {
        var settings = LabSettings.Read(Configuration());

        Assert.Equal(LabRuntime.Auto, settings.Runtime);
        Assert.Equal(LabRedisServer.Auto, settings.Redis);
        Assert.StartsWith(Path.GetTempPath(), settings.DataDirectory);
        Assert.True(settings.RestartCrashed);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("True", true)]
    public void Restarting_crashed_instances_can_be_switched_off(string value, bool expected)
    {
        Assert.Equal(expected, LabSettings.Read(Configuration(("Lab:RestartCrashed", value))).RestartCrashed);
    }

    [Theory]
    [InlineData("process", "redis-server", LabRuntime.Process, LabRedisServer.RedisServer)]
    [InlineData("Container", "EMBEDDED", LabRuntime.Container, LabRedisServer.Embedded)]
    [InlineData(" auto ", "auto", LabRuntime.Auto, LabRedisServer.Auto)]
    public void Reads_the_allowed_names_in_any_case(string runtime, string redis, LabRuntime expectedRuntime, LabRedisServer expectedRedis)
    {
        var settings = LabSettings.Read(Configuration(("Lab:Runtime", runtime), ("Lab:Redis", redis)));

        Assert.Equal(expectedRuntime, settings.Runtime);
        Assert.Equal(expectedRedis, settings.Redis);
    }

    [Theory]
    [InlineData("Lab:Runtime", "docker", "auto, container, process")]
    [InlineData("Lab:Runtime", "1", "auto, container, process")]
    [InlineData("Lab:Redis", "garnet", "auto, redis-server, embedded")]
    [InlineData("Lab:RestartCrashed", "yes", "true, false")]
    public void An_unknown_value_names_the_key_and_the_allowed_values(string key, string value, string allowed)
    {
        var problem = Assert.Throws<LabSetupException>(() => LabSettings.Read(Configuration((key, value))));

        Assert.Contains(key, problem.Message);
        Assert.Contains($"'{value}'", problem.Message);
        Assert.Contains(allowed, problem.Message);
    }

    [Fact]
    public void A_relative_data_directory_becomes_absolute()
    {
        var settings = LabSettings.Read(Configuration(("Lab:DataDirectory", "lab-data")));

        Assert.True(Path.IsPathRooted(settings.DataDirectory));
        Assert.EndsWith("lab-data", settings.DataDirectory);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
