namespace VokeTag.SampleApi.Resilience;

/// <summary>Timeout and circuit-breaker settings for one dependency, bound from <c>Resilience:{Dependency}</c>.</summary>
public sealed class DependencyPolicy
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(200);

    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Off only to weaken the API on purpose, so that a chaos experiment can show it catches the missing breaker.</summary>
    public bool UseCircuitBreaker { get; set; } = true;

    /// <summary>Off only to weaken the API on purpose: calls then wait as long as the client library does.</summary>
    public bool UseTimeout { get; set; } = true;

    /// <summary>Every out-of-range setting, named by its configuration key (e.g. <c>Resilience:Redis:Timeout</c>).</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromSeconds(30))
        {
            yield return $"{section}:Timeout is {Timeout}; allowed 00:00:00.010 to 00:00:30.";
        }

        if (FailureRatio is <= 0 or > 1)
        {
            yield return $"{section}:FailureRatio is {FailureRatio}; allowed above 0 up to 1.";
        }

        if (MinimumThroughput < 2)
        {
            yield return $"{section}:MinimumThroughput is {MinimumThroughput}; allowed 2 or more.";
        }

        if (SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{section}:SamplingDuration is {SamplingDuration}; allowed 00:00:00.500 or more.";
        }

        if (BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{section}:BreakDuration is {BreakDuration}; allowed 00:00:00.500 or more.";
        }
    }
}
