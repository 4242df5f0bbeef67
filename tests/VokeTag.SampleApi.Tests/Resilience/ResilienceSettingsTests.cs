using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Tests.Resilience;

public class ResilienceSettingsTests
{
    private readonly ResilienceSettings.Validator _validator = new();

    [Fact]
    public void The_defaults_are_valid_and_give_postgres_a_longer_timeout_than_redis()
    {
        var defaults = new ResilienceSettings();

        Assert.True(_validator.Validate(null, defaults).Succeeded);
        Assert.True(defaults.Postgres.Timeout > defaults.Redis.Timeout);
    }

    [Fact]
    public void Every_bad_setting_is_named_by_its_configuration_key()
    {
        var settings = new ResilienceSettings
        {
            Redis = { Timeout = TimeSpan.Zero, FailureRatio = 1.5 },
            Postgres = { MinimumThroughput = 1, BreakDuration = TimeSpan.FromMilliseconds(10), SamplingDuration = TimeSpan.Zero },
        };

        var result = _validator.Validate(null, settings);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Resilience:Redis:Timeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Resilience:Redis:FailureRatio", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Resilience:Postgres:MinimumThroughput", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Resilience:Postgres:BreakDuration", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Resilience:Postgres:SamplingDuration", StringComparison.Ordinal));
    }
}
