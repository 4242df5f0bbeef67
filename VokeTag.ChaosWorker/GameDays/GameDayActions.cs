namespace VokeTag.ChaosWorker.GameDays;

/// <summary>The bodies of the blue team's and observers' actions, each checked field by field with the allowed values named.</summary>
public static class GameDayActions
{
    public const int MaxText = 2000;
    public const int MaxBy = 64;

    public sealed record Declare(string? By, string? Text);

    public sealed record Diagnose(string? By, string? Resource, string? Kind);

    public sealed record Mitigate(string? By, string? Action, string? Resource);

    public sealed record Note(string? By, string? Text);

    public static IEnumerable<string> Problems(Declare body) => [.. ByProblems(body.By), .. TextProblems(body.Text, required: false)];

    public static IEnumerable<string> Problems(Note body) => [.. ByProblems(body.By), .. TextProblems(body.Text, required: true)];

    public static IEnumerable<string> Problems(Diagnose body)
    {
        foreach (var problem in ByProblems(body.By))
        {
            yield return problem;
        }

        if (body.Resource is null || !DiagnosisVocabulary.Resources.Contains(body.Resource))
        {
            yield return $"resource is {Shown(body.Resource)}; allowed: {string.Join(", ", DiagnosisVocabulary.Resources)}.";
        }

        if (body.Kind is null || !DiagnosisVocabulary.Kinds.Contains(body.Kind))
        {
            yield return $"kind is {Shown(body.Kind)}; allowed: {string.Join(", ", DiagnosisVocabulary.Kinds)}.";
        }
    }

    public static IEnumerable<string> Problems(Mitigate body)
    {
        foreach (var problem in ByProblems(body.By))
        {
            yield return problem;
        }

        if (body.Action is null || !DiagnosisVocabulary.MitigationActions.Contains(body.Action))
        {
            yield return $"action is {Shown(body.Action)}; allowed: {string.Join(", ", DiagnosisVocabulary.MitigationActions)}.";
        }
        else if (body.Action == DiagnosisVocabulary.Wait && body.Resource is not null)
        {
            yield return $"resource is {Shown(body.Resource)}; allowed with action wait: none (waiting is for the whole system).";
        }
        else if (body.Action != DiagnosisVocabulary.Wait && (body.Resource is null || !DiagnosisVocabulary.Resources.Contains(body.Resource)))
        {
            yield return $"resource is {Shown(body.Resource)}; allowed with action {body.Action}: {string.Join(", ", DiagnosisVocabulary.Resources)}.";
        }
    }

    private static IEnumerable<string> ByProblems(string? by)
    {
        if (by is not null && (by.Length > MaxBy || by.Any(char.IsControl)))
        {
            yield return $"by is {Shown(by)}; allowed: a name of up to {MaxBy} characters without control characters (e.g. blue, observer), or none.";
        }
    }

    private static IEnumerable<string> TextProblems(string? text, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(text))
        {
            yield return "text is empty; allowed: what you noticed, up to 2000 characters.";
        }
        else if (text is { Length: > MaxText })
        {
            yield return $"text has {text.Length} characters; allowed up to {MaxText}.";
        }
    }

    /// <summary>Who acted: the name given, or the default for the action when none was (a prompt left empty).</summary>
    public static string Who(string? by, string fallback) => string.IsNullOrWhiteSpace(by) ? fallback : by.Trim();

    private static string Shown(string? value) => value is null ? "missing" : $"'{(value.Length > 40 ? value[..40] + "…" : value)}'";
}
