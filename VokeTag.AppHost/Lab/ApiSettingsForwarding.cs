using Microsoft.Extensions.Configuration;

namespace VokeTag.AppHost.Lab;

public static class ApiSettingsForwarding
{
    public const string SectionName = "Lab:Api";

    /// <summary>
    /// Hands every key under <c>Lab:Api</c> to the API as its own configuration, e.g.
    /// <c>Lab:Api:Resilience:RedisFallback=false</c> becomes <c>Resilience:RedisFallback=false</c> — how tests and
    /// workshops run the lab against a deliberately weakened API.
    /// </summary>
    public static IResourceBuilder<T> WithSettingsFrom<T>(this IResourceBuilder<T> resource, IConfiguration configuration)
        where T : IResourceWithEnvironment
    {
        foreach (var (key, value) in configuration.GetSection(SectionName).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                resource.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return resource;
    }
}
