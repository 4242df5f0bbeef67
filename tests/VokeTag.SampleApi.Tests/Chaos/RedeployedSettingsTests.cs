using Microsoft.Extensions.Configuration;
using VokeTag.SampleApi.Chaos;

namespace VokeTag.SampleApi.Tests.Chaos;

public class RedeployedSettingsTests
{
    [Fact]
    public void The_replica_named_in_the_redeploy_starts_with_its_settings_on_top()
    {
        var configuration = Configuration("b2", new()
        {
            ["ConnectionStrings:voketag"] = "Host=127.0.0.1;Password=right",
            ["Lab:Redeploy:b2:Name"] = "wrong-postgres-password",
            ["Lab:Redeploy:b2:Settings:ConnectionStrings:voketag"] = "Host=127.0.0.1;Password=wrong",
        });

        var redeployed = RedeployedSettings.Apply(configuration);

        Assert.Equal("wrong-postgres-password", redeployed);
        Assert.Equal("Host=127.0.0.1;Password=wrong", configuration["ConnectionStrings:voketag"]);
    }

    [Theory]
    [InlineData("a1")] // another replica's redeploy
    [InlineData(null)] // outside the lab: no instance id
    public void Any_other_replica_keeps_its_own_settings(string? instance)
    {
        var configuration = Configuration(instance, new()
        {
            ["ConnectionStrings:voketag"] = "Host=127.0.0.1;Password=right",
            ["Lab:Redeploy:b2:Name"] = "wrong-postgres-password",
            ["Lab:Redeploy:b2:Settings:ConnectionStrings:voketag"] = "Host=127.0.0.1;Password=wrong",
        });

        Assert.Null(RedeployedSettings.Apply(configuration));
        Assert.Equal("Host=127.0.0.1;Password=right", configuration["ConnectionStrings:voketag"]);
    }

    private static ConfigurationManager Configuration(string? instance, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationManager();
        if (instance is not null)
        {
            settings[RedeployedSettings.InstanceSetting] = instance;
        }

        configuration.AddInMemoryCollection(settings);
        return configuration;
    }
}
