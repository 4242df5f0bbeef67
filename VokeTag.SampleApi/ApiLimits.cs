namespace VokeTag.SampleApi;

public static class ApiLimits
{
    /// <summary>Scan bodies are a few dozen bytes; anything past this is refused with 413.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024;
}
