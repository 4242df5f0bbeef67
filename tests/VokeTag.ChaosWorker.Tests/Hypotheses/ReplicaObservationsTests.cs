using VokeTag.ChaosWorker.Api;

namespace VokeTag.ChaosWorker.Tests.Hypotheses;

public class ReplicaObservationsTests
{
    [Fact]
    public void Peaks_are_the_highest_reading_of_any_replica_and_circuits_every_state_seen()
    {
        var observed = new ReplicaObservations();

        observed.Add(new Diagnostics(new() { ["postgres"] = "closed" }, CpuShare: 0.30, MemoryShare: 0.02, PostgresPool: new PoolReading(Used: 2, Max: 100, Pending: 0)));
        observed.Add(new Diagnostics(new() { ["postgres"] = "open" }, CpuShare: 0.85, MemoryShare: 0.01, PostgresPool: new PoolReading(Used: 100, Max: 100, Pending: 7)));
        observed.Add(new Diagnostics(new() { ["postgres"] = "closed" }, CpuShare: 0.10, MemoryShare: 0.03, PostgresPool: new PoolReading(Used: 1, Max: 100, Pending: 0)));

        Assert.True(observed.Saw("postgres", "open"));
        Assert.False(observed.Saw("redis", "open"));
        Assert.Equal(0.85, observed.Peaks[ReplicaObservations.CpuPeak]);
        Assert.Equal(0.03, observed.Peaks[ReplicaObservations.MemoryPeak]);
        Assert.Equal(1.0, observed.Peaks[ReplicaObservations.PoolPeak]);
        Assert.Equal(7, observed.Peaks[ReplicaObservations.PoolWaitingPeak]);
    }

    [Fact]
    public void A_replica_that_reports_no_figures_adds_no_peak()
    {
        var observed = new ReplicaObservations();

        observed.Add(new Diagnostics(new() { ["redis"] = "closed" }));

        Assert.Empty(observed.Peaks);
    }
}
