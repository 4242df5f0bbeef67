namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// What an experiment says for people and tools rather than for the run: tags and extensions (checked by chaoslib, with
/// its messages), version and contributions (not checked by chaoslib; warned about here).
/// </summary>
internal static class ToolkitMetadata
{
    private static readonly string[] ContributionLevels = ["high", "medium", "low", "none"];

    public static void Check(ToolkitCursor experiment)
    {
        Tags(experiment["tags"]);
        Extensions(experiment["extensions"]);
        Unread(experiment);
    }

    private static void Tags(ToolkitCursor tags)
    {
        if (tags.IsFalsy)
        {
            return;
        }

        if (!tags.IsList)
        {
            tags.Problem($"found {tags.Found}; tags are a list of non-empty strings (chaoslib would read a text letter by letter): tags: [a, b].");
            return;
        }

        foreach (var tag in tags.Items.Where(tag => tag.Text is null or ""))
        {
            tag.Problem($"experiment tags must be a non-empty string; found {tag.Found}.");
        }
    }

    private static void Extensions(ToolkitCursor extensions)
    {
        if (extensions.IsFalsy)
        {
            return;
        }

        if (!extensions.IsList)
        {
            extensions.Problem($"found {extensions.Found}; extensions are a list of mappings, each with a name: [{{name: …}}] (chaoslib crashes on anything else).");
            return;
        }

        foreach (var extension in extensions.Items.Where(extension => string.IsNullOrWhiteSpace(extension["name"].Text)))
        {
            extension.Problem("All extensions require a non-empty name.");
        }
    }

    /// <summary>Keys chaoslib ignores but a reader may rely on: a version written as a number, contributions off the scale.</summary>
    private static void Unread(ToolkitCursor experiment)
    {
        if (experiment["version"] is { Number: not null } version)
        {
            version.Warning($"found {version.Found}, a number; nothing reads version, but write it as a text, such as \"1.0.0\".");
        }

        var contributions = experiment["contributions"];
        if (contributions.Node is not null && !contributions.IsMapping)
        {
            contributions.Warning($"found {contributions.Found}; contributions map a name to {string.Join(", ", ContributionLevels)}.");
        }

        foreach (var key in contributions.Keys.Where(key => !ContributionLevels.Contains(contributions[key].Text)))
        {
            contributions[key].Warning($"found {contributions[key].Found}; a contribution is one of: {string.Join(", ", ContributionLevels)}.");
        }
    }
}
