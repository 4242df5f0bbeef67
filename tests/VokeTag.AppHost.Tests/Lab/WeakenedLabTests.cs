using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Tests.Lab;

public class WeakenedLabTests
{
    [Fact]
    public void Weakened_switches_off_every_protection_and_the_restart_of_crashed_replicas()
    {
        var configuration = Configuration(("Lab:Weakened", "true"));

        Assert.True(WeakenedLab.Apply(configuration));

        Assert.Equal("false", configuration["Lab:Api:Resilience:RedisFallback"]);
        Assert.Equal("false", configuration["Lab:Api:LoadShedding:Enabled"]);
        Assert.Equal("true", configuration["Lab:Api:Scans:AcknowledgeBeforeCommit"]);
        Assert.False(LabSettings.Read(configuration).RestartCrashed);
    }

    [Fact]
    public void A_setting_given_explicitly_still_wins()
    {
        var configuration = Configuration(("Lab:Weakened", "true"), ("Lab:Api:LoadShedding:Enabled", "true"));

        WeakenedLab.Apply(configuration);

        Assert.Equal("true", configuration["Lab:Api:LoadShedding:Enabled"]);
        Assert.Equal("false", configuration["Lab:Api:Resilience:RedisFallback"]);
    }

    [Fact]
    public void Without_the_switch_nothing_changes()
    {
        var configuration = Configuration(("Lab:Weakened", "false"));

        Assert.False(WeakenedLab.Apply(configuration));

        Assert.Null(configuration["Lab:Api:Resilience:RedisFallback"]);
        Assert.True(LabSettings.Read(configuration).RestartCrashed);
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_is_refused_naming_the_setting()
    {
        var problem = Assert.Throws<LabSetupException>(() => WeakenedLab.Apply(Configuration(("Lab:Weakened", "yes"))));

        Assert.Contains("Lab:Weakened is 'yes'; allowed values: true, false", problem.ToString());
    }

    private static ConfigurationManager Configuration(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value)));
        return configuration;
    }
}
