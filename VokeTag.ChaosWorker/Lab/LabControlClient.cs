using System.Net.Http.Json;

namespace VokeTag.ChaosWorker.Lab;

/// <summary>
/// Talks to the AppHost's lab control API (see VokeTag.AppHost/LabControl): Aspire's start, stop and restart for
/// the lab's own resources. The address and the per-start secret come from <c>LabControl:Url</c> and
/// <c>LabControl:Secret</c>, which only the AppHost sets.
/// </summary>
public sealed class LabControlClient(HttpClient http, TimeProvider time)
{
    public const string SecretHeader = "X-Lab-Secret";
    public const string LeaseHeader = "X-Fault-Lease";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The lease faults are injected under; the AppHost refuses faults without one.</summary>
    private volatile string? _lease;

    /// <summary>
    /// Opens a lease that the AppHost undoes the faults of if it is not renewed within <paramref name="timeToLive"/>
    /// (this worker died or hangs), and renews it until disposed. Faults injected meanwhile are held by it.
    /// </summary>
    /// <param name="hidden">A hidden game-day round's: the lab does not describe what the lease holds until it is over.</param>
    public async Task<FaultLease> OpenLeaseAsync(string owner, TimeSpan timeToLive, CancellationToken cancellationToken, bool hidden = false)
    {
        using var response = await SendAsync(HttpMethod.Post, "/leases", JsonContent.Create(new { owner, ttlSeconds = timeToLive.TotalSeconds, hidden }), cancellationToken);
        await EnsureSuccessAsync(response, "opening a fault lease", cancellationToken);
        var id = (await response.Content.ReadFromJsonAsync<LeaseView>(cancellationToken))!.Id;
        _lease = id;
        return new FaultLease(this, id, timeToLive, time);
    }

    internal async Task<bool> RenewLeaseAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/leases/{id}", null, cancellationToken, poll: true);
        return response.StatusCode != System.Net.HttpStatusCode.NotFound;
    }

    internal async Task ReleaseLeaseAsync(string id, CancellationToken cancellationToken)
    {
        _lease = null;
        using var response = await SendAsync(HttpMethod.Delete, $"/leases/{id}", null, cancellationToken);
    }

    public async Task RunCommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/resources/{Uri.EscapeDataString(resource)}/{command}", null, cancellationToken);
        await EnsureSuccessAsync(response, $"'{command}' on {resource}", cancellationToken);
    }

    /// <summary>Kills one running instance of the resource (its whole process tree) and returns its id.</summary>
    public async Task<string> KillOneInstanceAsync(string resource, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/resources/{Uri.EscapeDataString(resource)}/kill", null, cancellationToken);
        await EnsureSuccessAsync(response, $"kill of one instance of {resource}", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<KilledInstance>(cancellationToken))!.Instance;
    }

    /// <summary>Kills one named running instance of the resource (its whole process tree) and returns its id.</summary>
    public async Task<string> KillInstanceAsync(string resource, string instance, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post,
            $"/resources/{Uri.EscapeDataString(resource)}/kill?instance={Uri.EscapeDataString(instance)}", null, cancellationToken);
        await EnsureSuccessAsync(response, $"kill of {instance}", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<KilledInstance>(cancellationToken))!.Instance;
    }

    /// <summary>Runs a command on one instance only, e.g. start on a replica that did not come back.</summary>
    public async Task RunInstanceCommandAsync(string resource, string instance, string command, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post,
            $"/resources/{Uri.EscapeDataString(resource)}/{command}?instance={Uri.EscapeDataString(instance)}", null, cancellationToken);
        await EnsureSuccessAsync(response, $"'{command}' on {instance}", cancellationToken);
    }

    /// <summary>Restarts one replica with a broken setting (e.g. <c>wrong-postgres-password</c>); returns once it was restarted.</summary>
    public async Task RedeployAsync(string resource, string instance, string setting, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post,
            $"/resources/{Uri.EscapeDataString(resource)}/instances/{Uri.EscapeDataString(instance)}/redeploy", JsonContent.Create(new { setting }), cancellationToken);
        await EnsureSuccessAsync(response, $"redeploy of {instance} with {setting}", cancellationToken);
    }

    /// <summary>Restarts a redeployed replica with its own settings.</summary>
    public async Task RestoreAsync(string resource, string instance, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete,
            $"/resources/{Uri.EscapeDataString(resource)}/instances/{Uri.EscapeDataString(instance)}/redeploy", null, cancellationToken);
        await EnsureSuccessAsync(response, $"redeploy of {instance} with its own settings", cancellationToken);
    }

    /// <summary>The lab's allow-list: every resource (and fault proxy) an experiment may target.</summary>
    public async Task<IReadOnlyList<string>> GetTargetsAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "/targets", null, cancellationToken);
        await EnsureSuccessAsync(response, "reading the lab's targets", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<string[]>(cancellationToken))!;
    }

    public async Task<ResourceState> GetStateAsync(string resource, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/resources/{Uri.EscapeDataString(resource)}", null, cancellationToken, poll: true);
        await EnsureSuccessAsync(response, $"reading {resource}", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<ResourceState>(cancellationToken))!;
    }

    /// <summary>What each instance of a lab resource's processes uses now: CPU over a quarter of a second, and memory.</summary>
    public async Task<IReadOnlyList<InstanceUsage>> GetUsageAsync(string resource, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/resources/{Uri.EscapeDataString(resource)}/usage", null, cancellationToken, poll: true);
        await EnsureSuccessAsync(response, $"reading what {resource} uses", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<ResourceUsage>(cancellationToken))!.Instances;
    }

    /// <summary>Replaces the faults of one fault proxy (<c>cache-proxy</c>, <c>db-proxy</c>).</summary>
    public async Task SetProxyFaultsAsync(string proxy, IReadOnlyList<NetworkFaultSpec> faults, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/proxies/{Uri.EscapeDataString(proxy)}/faults", JsonContent.Create(faults), cancellationToken);
        await EnsureSuccessAsync(response, $"faults on {proxy}", cancellationToken);
    }

    /// <summary>Back to a plain pass-through.</summary>
    public async Task ClearProxyFaultsAsync(string proxy, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/proxies/{Uri.EscapeDataString(proxy)}/faults", null, cancellationToken);
        await EnsureSuccessAsync(response, $"clearing faults on {proxy}", cancellationToken);
    }

    /// <summary>Polls until every instance of the resource satisfies <paramref name="condition"/>.</summary>
    public Task WaitUntilAsync(string resource, Func<InstanceState, bool> condition, string description, TimeSpan timeout, CancellationToken cancellationToken) =>
        PollAsync(resource, state => state.Instances.Count > 0 && state.Instances.All(condition), resource, description, timeout, cancellationToken);

    /// <summary>Polls until one instance (by id) satisfies <paramref name="condition"/>.</summary>
    public Task WaitUntilInstanceAsync(string resource, string instance, Func<InstanceState, bool> condition, string description, TimeSpan timeout, CancellationToken cancellationToken) =>
        PollAsync(resource, state => state.Instances.Any(candidate => candidate.Id == instance && condition(candidate)), instance, description, timeout, cancellationToken);

    private async Task PollAsync(string resource, Func<ResourceState, bool> done, string subject, string description, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            while (!done(await GetStateAsync(resource, linked.Token)))
            {
                await Task.Delay(PollInterval, time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{subject} was not {description} within {timeout.TotalSeconds:0} s.");
        }
    }

    /// <param name="poll">A reading repeated several times a second (lease renewal, usage, resource state): no span of its own.</param>
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool poll = false)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Options.Set(Microsoft.Extensions.Hosting.Extensions.Untraced, poll);
        if (_lease is { } lease)
        {
            request.Headers.Add(LeaseHeader, lease);
        }

        return http.SendAsync(request, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"Lab control refused {what}: {(int)response.StatusCode} {body}");
        }
    }
}

/// <summary>
/// A fault for the AppHost's TCP fault proxy: <c>latency</c> (latencyMs, jitterMs), <c>bandwidth</c>
/// (bytesPerSecond), <c>blackhole</c>, <c>reset</c> or <c>down</c>; direction <c>both</c>, <c>upstream</c>
/// (API → server) or <c>downstream</c>.
/// </summary>
public sealed record NetworkFaultSpec(string Kind, string Direction = "both", int LatencyMs = 0, int JitterMs = 0, long BytesPerSecond = 0)
{
    public override string ToString() => Kind switch
    {
        "latency" => $"latency {LatencyMs}±{JitterMs} ms {Direction}",
        "bandwidth" => $"bandwidth {BytesPerSecond} B/s {Direction}",
        _ => $"{Kind} {Direction}",
    };
}

public sealed record ResourceState(string Name, IReadOnlyList<InstanceState> Instances);

public sealed record ResourceUsage(string Resource, IReadOnlyList<InstanceUsage> Instances);

/// <param name="CpuShare">Share of all cores the instance's processes used (0 to 1).</param>
/// <param name="MemoryShare">Share of the machine's memory they held (0 to 1).</param>
public sealed record InstanceUsage(string Instance, int Processes, double CpuShare, double MemoryShare);

public sealed record KilledInstance(string Resource, string Instance, int Pid);

public sealed record LeaseView(string Id);

public sealed record InstanceState(string Id, string? State, string? Health)
{
    public bool IsRunning => State == "Running";

    public bool IsStopped => State is "Exited" or "Finished" or "FailedToStart";
}
