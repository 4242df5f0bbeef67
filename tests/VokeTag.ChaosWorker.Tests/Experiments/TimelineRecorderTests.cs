using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Experiments;

public sealed class TimelineRecorderTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_land_in_the_second_they_were_due_with_that_seconds_percentiles_and_counts()
    {
        var recorder = new TimelineRecorder(Start);
        var phaseStart = Start.AddSeconds(5.5);
        // Second 5 (5.5–6.0): latencies 1..5 ms; second 6: 100 ms each, two failures and one shed.
        for (var i = 1; i <= 5; i++)
        {
            recorder.Add(phaseStart, new LoadSample(RequestKind.Verify, TimeSpan.FromMilliseconds(i * 90), TimeSpan.FromMilliseconds(i), 200, ServedFrom: "cache", Replica: "a"));
        }

        recorder.Add(phaseStart, new LoadSample(RequestKind.Verify, TimeSpan.FromSeconds(0.6), TimeSpan.FromMilliseconds(100), 200, ServedFrom: "fallback", Replica: "b"));
        recorder.Add(phaseStart, new LoadSample(RequestKind.Verify, TimeSpan.FromSeconds(0.7), TimeSpan.FromMilliseconds(100), 500, Replica: "b"));
        recorder.Add(phaseStart, new LoadSample(RequestKind.Verify, TimeSpan.FromSeconds(0.8), TimeSpan.FromMilliseconds(100), 0));
        recorder.Add(phaseStart, new LoadSample(RequestKind.History, TimeSpan.FromSeconds(0.9), TimeSpan.FromMilliseconds(100), 503, ShedReason: "cpu", Replica: "b"));

        var points = recorder.Build([new PhaseRecord("baseline", phaseStart, Start.AddSeconds(7), PhaseStatistics.Empty)]).Points;

        Assert.Equal([5, 6, 7], points.Select(point => point.Second));
        var first = points[0];
        Assert.Equal(("baseline", 5, 3.0, 5.0, 5.0), (first.Phase, first.Requests, first.P50Ms!.Value, first.P95Ms!.Value, first.P99Ms!.Value));
        Assert.Equal(5, first.ServedFrom["cache"]);
        Assert.Equal(5, first.Replicas["a"]);
        var second = points[1];
        Assert.Equal((4, 2, 1), (second.Requests, second.Failed, second.Shed));
        Assert.Equal(2.0 / 3, second.ErrorRate); // over the requests the API took on: the shed one is no error, as in the phases
        Assert.Equal(1, second.StatusCodes[500]);
        Assert.Equal(1, second.StatusClasses["none"]);
        Assert.Equal(1, second.ServedFrom["fallback"]);
        Assert.Equal(3, second.Replicas["b"]);
        Assert.Equal("between", points[2].Phase);
        Assert.Null(points[2].P50Ms);
    }

    [Fact]
    public void Readings_give_the_worst_breaker_state_of_the_second_and_each_process_its_share()
    {
        var recorder = new TimelineRecorder(Start);
        recorder.Add(Start.AddSeconds(3.1), new Diagnostics(new() { ["redis"] = "closed" }, 0.1, 0.2, new PoolReading(3, 20, 0), "api-a"));
        recorder.Add(Start.AddSeconds(3.6), new Diagnostics(new() { ["redis"] = "open" }, 0.3, 0.2, new PoolReading(9, 20, 1), "api-b"));
        recorder.Add(Start.AddSeconds(3.2), "cache", [new InstanceUsage("cache", 1, 0.05, 0.01)]);
        recorder.Add(Start.AddSeconds(3.2), "api", [new InstanceUsage("api-a", 1, 0.12, 0.02), new InstanceUsage("api-b", 0, 0, 0)]);

        var point = Assert.Single(recorder.Build([]).Points);

        Assert.Equal("open", point.Breakers["redis"]);
        Assert.Equal(new Dictionary<string, int> { ["api-a"] = 3, ["api-b"] = 9 }, point.DbConnections);
        Assert.Equal(new ProcessShare(0.05, 0.01), point.Processes["cache"]);
        Assert.Equal(new ProcessShare(0.12, 0.02), point.Processes["api/api-a"]);
        Assert.False(point.Processes.ContainsKey("api/api-b")); // no processes: down, not idle
    }

    [Fact]
    public void Without_lab_control_the_api_processes_come_from_its_own_diagnostics()
    {
        var recorder = new TimelineRecorder(Start);
        recorder.Add(Start.AddSeconds(1.5), new Diagnostics(new() { ["postgres"] = "half-open" }, 0.4, 0.3, null, "api-a"));

        var point = Assert.Single(recorder.Build([]).Points);

        Assert.Equal(new ProcessShare(0.4, 0.3), point.Processes["api/api-a"]);
        Assert.Equal("half-open", point.Breakers["postgres"]);
    }

    [Fact]
    public void Nothing_recorded_is_an_empty_timeline()
    {
        Assert.Empty(new TimelineRecorder(Start).Build([]).Points);
    }
}
