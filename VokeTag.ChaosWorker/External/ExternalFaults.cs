namespace VokeTag.ChaosWorker.External;

/// <summary>
/// Where a measure-only run's faults come from: a chaos engine in a cluster injects them, the worker only watches for
/// them so that its phases line up (baseline before, impact while the fault is live, recovery after), and records the
/// engine's own verdict beside its own.
/// </summary>
public interface IExternalFaults
{
    /// <summary>The engine, for reports: <c>litmus</c> or <c>chaos-mesh</c>.</summary>
    string Engine { get; }

    /// <summary>What the engine says of the experiment's faults right now.</summary>
    Task<ExternalFaultState> ReadAsync(string experiment, CancellationToken cancellationToken);
}

/// <param name="Found">Whether the engine has the experiment's resources at all (applied, not yet deleted).</param>
/// <param name="Active">Whether a fault is injected now.</param>
/// <param name="Ended">Whether every fault of it has come and gone.</param>
/// <param name="Verdict">The engine's own verdict (Litmus: Pass, Fail, Awaited, Stopped), if it has one.</param>
/// <param name="Detail">What was read, for the report: the resources and their phases.</param>
public sealed record ExternalFaultState(bool Found, bool Active, bool Ended, string? Verdict, string Detail);

/// <summary>Waits on an engine's state: polls until a condition holds or a limit passes.</summary>
public static class ExternalFaultWaits
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <exception cref="TimeoutException">The engine did not get there in time; the message says what it last said.</exception>
    public static async Task<ExternalFaultState> UntilAsync(
        this IExternalFaults engine, string experiment, Func<ExternalFaultState, bool> condition, string waitingFor, TimeSpan limit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        ExternalFaultState? last = null;
        while (true)
        {
            try
            {
                last = await engine.ReadAsync(experiment, cancellationToken);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException exception)
            {
                last = new ExternalFaultState(false, false, false, null, $"the Kubernetes API did not answer: {exception.Message}");
            }

            if (time.GetElapsedTime(started) >= limit)
            {
                throw new TimeoutException($"{engine.Engine} did not report {waitingFor} for {experiment} within {limit.TotalSeconds:0} s; it last said: {last.Detail}");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
