namespace VokeTag.SlackMessage.Tests;

/// <summary>
/// Runs folders as the lab leaves them. The files under Fixtures/ are real reports of lab runs (run.json trimmed to the
/// fields around status); a test that needs an odd one writes it into a <see cref="TemporaryRuns"/>.
/// </summary>
internal static class Fixture
{
    public static string Runs(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}

internal sealed class TemporaryRuns : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("voketag-slack-message-").FullName;

    public string Write(string runId, string fileName, string content)
    {
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(Path, runId)).FullName;
        var file = System.IO.Path.Combine(folder, fileName);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
