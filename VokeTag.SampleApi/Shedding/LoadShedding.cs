using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace VokeTag.SampleApi.Shedding;

/// <summary>
/// The <c>LoadShedding</c> configuration section. Non-critical endpoints are shed (503 with Retry-After) when this
/// process is itself busy — it ran on at least <see cref="CpuRanFloor"/> of all cores — and wants more than
/// <see cref="CpuThreshold"/> of them (what it ran plus what its threads waited for a core:
/// <see cref="ProcessCpuMonitor.Demand"/>), when they come faster than <see cref="NonCriticalPerSecond"/> (the
/// replica's budget for them: a surge of traffic is turned away before it takes the capacity verification needs), or
/// when more than <see cref="NonCriticalConcurrency"/> of them already run; the critical path (verification) is never
/// shed. A shed answer says why in <see cref="LoadShedding.ShedHeader"/> (<c>cpu</c>, <c>budget</c> or
/// <c>concurrency</c>), so a client (and the chaos worker) can tell graceful degradation from a dependency outage,
/// which is also a 503.
/// </summary>
public sealed class LoadSheddingSettings
{
    public const string SectionName = "LoadShedding";

    /// <summary>Off only to weaken the API on purpose.</summary>
    public bool Enabled { get; set; } = true;

    public double CpuThreshold { get; set; } = 0.4;

    /// <summary>
    /// The share of all cores the process must have run on before CPU demand can shed: waiting for a core while
    /// others use the machine (a replica restarting next door, a busy CI box) is not this process being overloaded.
    /// </summary>
    public double CpuRanFloor { get; set; } = 0.25;

    /// <summary>True while CPU pressure on this process sheds non-critical requests.</summary>
    public bool CpuPressed(ProcessCpuMonitor cpu) => CpuPressed(ran: cpu.Usage, wanted: cpu.Demand);

    /// <param name="ran">Share of all cores the process ran on.</param>
    /// <param name="wanted">That plus the time its threads waited for a core.</param>
    public bool CpuPressed(double ran, double wanted) => ran >= CpuRanFloor && wanted > CpuThreshold;

    public int NonCriticalConcurrency { get; set; } = 8;

    /// <summary>
    /// Non-critical requests each replica serves per second at most (a token bucket refilled every 100 ms, holding one
    /// second's worth): the lab's steady traffic sends about 2 a second to each replica, a tenfold surge of traffic
    /// that shifts to history reads (the traffic-spike experiment) about 40.
    /// </summary>
    public int NonCriticalPerSecond { get; set; } = 20;

    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);
}

public static class LoadShedding
{
    public const string NonCritical = "non-critical";

    /// <summary>Set on every shed answer: why this request was shed, <c>cpu</c> or <c>concurrency</c>.</summary>
    public const string ShedHeader = "X-Shed";

    public static IServiceCollection AddLoadShedding(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(LoadSheddingSettings.SectionName).Get<LoadSheddingSettings>() ?? new();
        if (settings.CpuThreshold is not (> 0 and <= 1) || settings.CpuRanFloor < 0 || settings.CpuRanFloor > settings.CpuThreshold
            || settings.NonCriticalConcurrency < 1 || settings.NonCriticalPerSecond < 10 || settings.RetryAfter <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{LoadSheddingSettings.SectionName}: CpuThreshold must be above 0 up to 1 (is {settings.CpuThreshold}), " +
                $"CpuRanFloor from 0 up to CpuThreshold (is {settings.CpuRanFloor}), " +
                $"NonCriticalConcurrency at least 1 (is {settings.NonCriticalConcurrency}), " +
                $"NonCriticalPerSecond at least 10 (is {settings.NonCriticalPerSecond}), RetryAfter above 0 (is {settings.RetryAfter}).");
        }

        services.AddSingleton<ProcessCpuMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<ProcessCpuMonitor>());
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(NonCritical, context => settings.Enabled
                ? RateLimitPartition.Get(NonCritical, _ =>
                {
                    var cpu = context.RequestServices.GetRequiredService<ProcessCpuMonitor>();
                    return new NonCriticalLimiter(() => settings.CpuPressed(cpu), settings);
                })
                : RateLimitPartition.GetNoLimiter(NonCritical));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                response.Headers.RetryAfter = settings.RetryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
                response.Headers[ShedHeader] = NonCriticalLimiter.ReasonOf(context.Lease);
                await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Shed",
                    detail: "The API is busy and sheds non-critical requests first; retry later. Verification is not affected.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>
    /// Lets a request in unless the process is CPU-pressed, the budget of the last second is spent, or the concurrency
    /// limit is reached; a refusal names which (<see cref="Shed.Reason"/>, or the concurrency limiter's own lease).
    /// </summary>
    /// <param name="cpuPressed">True while CPU pressure sheds (<see cref="LoadSheddingSettings.CpuPressed(ProcessCpuMonitor)"/>).</param>
    internal sealed class NonCriticalLimiter(Func<bool> cpuPressed, LoadSheddingSettings settings) : RateLimiter
    {
        private static readonly TimeSpan RefillEvery = TimeSpan.FromMilliseconds(100);

        private readonly TokenBucketRateLimiter _budget = new(new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.NonCriticalPerSecond,
            TokensPerPeriod = Math.Max(1, settings.NonCriticalPerSecond / 10),
            ReplenishmentPeriod = RefillEvery,
            AutoReplenishment = true,
            QueueLimit = 0,
        });

        private readonly ConcurrencyLimiter _concurrency = new(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.NonCriticalConcurrency,
            QueueLimit = 0,
        });

        public override TimeSpan? IdleDuration => _concurrency.IdleDuration;

        public override RateLimiterStatistics? GetStatistics() => _concurrency.GetStatistics();

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => Admit(permitCount);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Admit(permitCount));

        private RateLimitLease Admit(int permitCount)
        {
            if (cpuPressed())
            {
                return Shed.Cpu;
            }

            using var budget = _budget.AttemptAcquire(permitCount);
            return budget.IsAcquired ? _concurrency.AttemptAcquire(permitCount) : Shed.Budget;
        }

        /// <summary>Why a refused lease was refused: <c>cpu</c>, <c>budget</c> or <c>concurrency</c>.</summary>
        public static string ReasonOf(RateLimitLease refused) => refused is Shed shed ? shed.Reason : "concurrency";

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _budget.Dispose();
                _concurrency.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A refusal, and why: the value of <see cref="ShedHeader"/>.</summary>
    private sealed class Shed(string reason) : RateLimitLease
    {
        public static readonly Shed Cpu = new("cpu");

        public static readonly Shed Budget = new("budget");

        public string Reason { get; } = reason;

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
