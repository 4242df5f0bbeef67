using System.Collections;

namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// A YAML mapping of a manifest, its keys in the order they were added, so that every export writes the same bytes and
/// reads as Kubernetes documents do (apiVersion, kind, metadata, spec). A null value is left out: optional fields are
/// written as <c>["jitter"] = jitter</c> without a condition around them.
/// </summary>
/// <remarks>Values: <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="bool"/>, another map, or a list of those.</remarks>
public sealed class ManifestMap : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _entries = [];

    public object? this[string key]
    {
        get => _entries.FirstOrDefault(entry => entry.Key == key).Value;
        set
        {
            var index = _entries.FindIndex(entry => entry.Key == key);
            if (value is null)
            {
                if (index >= 0)
                {
                    _entries.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                _entries[index] = new(key, value);
            }
            else
            {
                _entries.Add(new(key, value));
            }
        }
    }

    public int Count => _entries.Count;

    /// <summary>The map under <paramref name="key"/>, e.g. <c>metadata</c>; null when there is none.</summary>
    public ManifestMap? Map(string key) => this[key] as ManifestMap;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
