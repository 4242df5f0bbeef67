namespace VokeTag.ChaosWorker.Lab;

/// <summary>
/// What the AppHost hands the worker: the API's address (service discovery), the lab control API's address and the
/// secret for this lab start. Missing values stop the worker at start with the variable named.
/// </summary>
/// <param name="ProcessToken">
/// Set (<c>Chaos:ProcessToken</c>) only when the AppHost was started from the command line with
/// <c>Chaos:AllowProcess=true</c>: the one request that carries it, the command line's own, may run commands.
/// </param>
public sealed record WorkerSettings(Uri ApiAddress, Uri ControlAddress, string Secret, string? ProcessToken = null)
{
    public static WorkerSettings Read(IConfiguration configuration) => new(
        new Uri(Required(configuration, "services:api:http:0")),
        new Uri(Required(configuration, "LabControl:Url")),
        Required(configuration, "LabControl:Secret"),
        configuration["Chaos:ProcessToken"] is { Length: > 0 } token ? token : null);

    private static string Required(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{key} is not set. The chaos worker runs inside the lab: dotnet run --project VokeTag.AppHost.");
}
