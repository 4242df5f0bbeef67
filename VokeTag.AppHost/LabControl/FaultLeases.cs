using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// Faults die with their owner. The worker opens a lease before it injects and renews it while the run lasts; every
/// fault injected under the lease leaves here how to undo it. A lease not renewed within its time to live (the worker
/// was killed, hangs, or lost the AppHost) expires, and the AppHost undoes its faults itself: proxies back to
/// pass-through, stopped or killed resources started again.
/// </summary>
public sealed class FaultLeases(TimeProvider time, ILogger<FaultLeases> logger) : BackgroundService
{
    public static readonly TimeSpan MinTimeToLive = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTimeToLive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan UndoBudget = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lease> _leases = new();

    public IReadOnlyCollection<Lease> Active => [.. _leases.Values];

    /// <param name="hidden">A hidden game-day round's: what it holds is not described until the round is over.</param>
    public Lease Open(string owner, TimeSpan timeToLive, bool hidden = false)
    {
        var lease = new Lease(Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), owner, timeToLive, time.GetUtcNow() + timeToLive)
        {
            Hidden = hidden,
        };
        _leases[lease.Id] = lease;
        logger.LogInformation("Lease {Lease} opened by {Owner} ({Seconds} s to live)", lease.Id, owner, timeToLive.TotalSeconds);
        return lease;
    }

    /// <returns>False when the lease is unknown or already expired (its faults are being, or were, undone).</returns>
    public bool Renew(string id)
    {
        if (!_leases.TryGetValue(id, out var lease))
        {
            return false;
        }

        lease.Renew(time.GetUtcNow());
        return true;
    }

    /// <summary>The owner rolled its faults back itself: forget them.</summary>
    public bool Release(string id) => _leases.TryRemove(id, out _);

    /// <summary>Records how to undo a fault just injected under <paramref name="leaseId"/>.</summary>
    /// <returns>False when there is no such lease: the caller must not leave a fault nobody owns.</returns>
    public bool Hold(string leaseId, string description, Func<CancellationToken, Task> undo)
    {
        if (!_leases.TryGetValue(leaseId, out var lease))
        {
            return false;
        }

        lease.Hold(new HeldFault(description, undo));
        return true;
    }

    public bool Exists(string leaseId) => _leases.ContainsKey(leaseId);

    public Lease? Find(string leaseId) => _leases.GetValueOrDefault(leaseId);

    /// <summary>Emergency stop: undoes every lease's faults now, whatever their owners are doing.</summary>
    /// <returns>What was undone.</returns>
    public async Task<IReadOnlyList<string>> UndoAllAsync(CancellationToken cancellationToken)
    {
        var undone = new List<string>();
        foreach (var lease in _leases.Values)
        {
            if (_leases.TryRemove(lease.Id, out _))
            {
                logger.LogWarning("Emergency stop: undoing the faults of lease {Lease} ({Owner})", lease.Id, lease.Owner);
                await UndoAsync(lease, cancellationToken);
                undone.AddRange(lease.Faults.Select(fault => fault.Description));
            }
        }

        return undone;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var lease in _leases.Values.Where(lease => lease.ExpiresAt < time.GetUtcNow()))
                {
                    if (_leases.TryRemove(lease.Id, out _))
                    {
                        await UndoAsync(lease, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task UndoAsync(Lease lease, CancellationToken stoppingToken)
    {
        var faults = lease.Faults;
        logger.LogWarning("Lease {Lease} of {Owner} expired: undoing {Count} fault(s) it held", lease.Id, lease.Owner, faults.Count);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        budget.CancelAfter(UndoBudget);
        foreach (var fault in faults.Reverse())
        {
            try
            {
                await fault.Undo(budget.Token);
                logger.LogWarning("Lease {Lease}: undid {Fault}", lease.Id, fault.Description);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                logger.LogCritical("Lease {Lease}: could not undo {Fault}: {Error}. Undo it by hand from the dashboard.",
                    lease.Id, fault.Description, exception.Message);
            }
        }
    }

    public sealed class Lease(string id, string owner, TimeSpan timeToLive, DateTimeOffset expiresAt)
    {
        private readonly List<HeldFault> _faults = [];

        public string Id { get; } = id;

        public string Owner { get; } = owner;

        /// <summary>Held by a hidden game-day round: <c>GET /leases</c> and the proxies do not say what it holds.</summary>
        public bool Hidden { get; init; }

        public TimeSpan TimeToLive { get; } = timeToLive;

        private long _expiresAtTicks = expiresAt.UtcTicks;

        public DateTimeOffset ExpiresAt => new(Interlocked.Read(ref _expiresAtTicks), TimeSpan.Zero);

        public IReadOnlyList<HeldFault> Faults
        {
            get
            {
                lock (_faults)
                {
                    return [.. _faults];
                }
            }
        }

        internal void Renew(DateTimeOffset now) => Interlocked.Exchange(ref _expiresAtTicks, (now + TimeToLive).UtcTicks);

        internal void Hold(HeldFault fault)
        {
            lock (_faults)
            {
                _faults.Add(fault);
            }
        }
    }

    public sealed record HeldFault(string Description, Func<CancellationToken, Task> Undo);
}
