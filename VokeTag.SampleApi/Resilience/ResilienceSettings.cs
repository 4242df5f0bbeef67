using Microsoft.Extensions.Options;

namespace VokeTag.SampleApi.Resilience;

/// <summary>The <c>Resilience</c> configuration section: one <see cref="DependencyPolicy"/> per dependency.</summary>
public sealed class ResilienceSettings
{
    public const string SectionName = "Resilience";

    public DependencyPolicy Redis { get; set; } = new();

    public DependencyPolicy Postgres { get; set; } = new() { Timeout = TimeSpan.FromMilliseconds(500) };

    /// <summary>Answer verifications from PostgreSQL when Redis fails. Off only to weaken the API on purpose.</summary>
    public bool RedisFallback { get; set; } = true;

    public DependencyPolicy For(Dependency dependency) => dependency switch
    {
        Dependency.Redis => Redis,
        Dependency.Postgres => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(dependency), dependency, null),
    };

    /// <summary>Fails start-up with every bad setting named, instead of a pipeline that misbehaves later.</summary>
    public sealed class Validator : IValidateOptions<ResilienceSettings>
    {
        public ValidateOptionsResult Validate(string? name, ResilienceSettings options)
        {
            var errors = Enum.GetValues<Dependency>()
                .SelectMany(dependency => options.For(dependency).Validate($"{SectionName}:{dependency}"))
                .ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
