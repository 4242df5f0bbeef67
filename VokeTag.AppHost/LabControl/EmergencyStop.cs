using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// The emergency stop behind the dashboard command, <c>POST /emergency-stop</c> and the CLI: asks the worker to stop
/// its run (it rolls back and reports the run <c>interrupted</c>), waiting at most <see cref="WorkerWait"/>, then
/// undoes every fault lease at once, so the lab comes back even when the worker hangs or is gone.
/// </summary>
public sealed class EmergencyStop(FaultLeases leases, EndpointReference worker, string secret, ILogger<EmergencyStop> logger)
{
    /// <summary>Long enough for the worker to restart PostgreSQL on a busy machine (2.1-2.5 s idle); short enough that a hung worker does not hold the lab.</summary>
    public static readonly TimeSpan WorkerWait = TimeSpan.FromSeconds(5);

    public async Task<EmergencyStopResult> StopAsync(CancellationToken cancellationToken)
    {
        string worked;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(worker.Url), Timeout = WorkerWait };
            client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, secret);
            using var response = await client.PostAsJsonAsync("/runs/stop", new { }, cancellationToken);
            worked = response.IsSuccessStatusCode ? "the worker stopped its run and rolled it back" : $"the worker answered {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            worked = $"the worker had not finished its rollback within {WorkerWait.TotalSeconds:0} s ({exception.GetType().Name}); it goes on and reports the run interrupted";
        }

        var undone = await leases.UndoAllAsync(cancellationToken);
        logger.LogWarning("Emergency stop: {Worker}; undone by the lab: {Undone}", worked, undone.Count == 0 ? "nothing left" : string.Join(", ", undone));
        return new EmergencyStopResult(worked, undone);
    }
}

/// <param name="Undone">Faults the lab undid itself because their lease was still open.</param>
public sealed record EmergencyStopResult(string Worker, IReadOnlyList<string> Undone);
