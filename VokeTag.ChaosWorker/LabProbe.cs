namespace VokeTag.ChaosWorker;

/// <summary>
/// Until experiments exist, the worker shows it can reach the API through service discovery: it reads the API's
/// readiness once a minute and logs it.
/// </summary>
public sealed class LabProbe(HttpClient api, TimeProvider time, ILogger<LabProbe> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                using var response = await api.GetAsync("/health", stoppingToken);
                logger.LogInformation("API readiness: {Status}", (int)response.StatusCode);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("API not reachable: {Reason}", exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
