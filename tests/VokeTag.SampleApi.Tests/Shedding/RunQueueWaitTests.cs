using System.Diagnostics;
using VokeTag.SampleApi.Shedding;

namespace VokeTag.SampleApi.Tests.Shedding;

public class RunQueueWaitTests
{
    [Theory]
    [InlineData("1236106 5000 1\n", 5000L)]
    [InlineData("10  0  3", 0L)]
    [InlineData("", null)]
    [InlineData("1236106", null)]
    [InlineData("1 -5 1", null)]
    [InlineData("1 many 1", null)]
    public void Reads_the_wait_from_the_second_field_of_schedstat(string line, long? expected) =>
        Assert.Equal(expected, RunQueueWait.ParseWait(line));

    [Fact]
    public void Counts_what_each_thread_waited_since_the_last_reading_through_threads_coming_and_going()
    {
        var wait = new RunQueueWait("/nonexistent");

        Assert.Equal(Ms(30), wait.Advance(Threads((1, 10), (2, 20))));
        Assert.Equal(Ms(35), wait.Advance(Threads((1, 15), (2, 20))));
        // thread 2 ended (its wait stays counted), thread 3 started and waited 7 ms already
        Assert.Equal(Ms(42), wait.Advance(Threads((1, 15), (3, 7))));
        // a thread id reused by a new thread with less wait than the old one is not a negative wait
        Assert.Equal(Ms(42), wait.Advance(Threads((1, 15), (3, 2))));
    }

    [Fact]
    public void Reads_every_thread_of_a_tasks_folder_and_skips_what_is_not_a_thread()
    {
        var tasks = Directory.CreateTempSubdirectory("voketag-tasks-");
        try
        {
            Write(tasks, "101", "900 4000000 2");
            Write(tasks, "102", "900 6000000 2");
            Write(tasks, "not-a-thread", "900 9000000000 2");
            Directory.CreateDirectory(Path.Combine(tasks.FullName, "103")); // ended before its schedstat was read

            Assert.Equal(Ms(10), new RunQueueWait(tasks.FullName).Read());
        }
        finally
        {
            tasks.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_folder_that_does_not_exist_reports_no_wait() =>
        Assert.Equal(TimeSpan.Zero, new RunQueueWait(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))).Read());

    [Fact]
    public void This_process_waits_for_a_core_when_it_runs_more_busy_threads_than_there_are_cores()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the run-queue wait is read from Linux's /proc; elsewhere the demand is the CPU time alone
        }

        var wait = new RunQueueWait();
        var before = wait.Read();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var busy = Enumerable.Range(0, Environment.ProcessorCount * 3)
            .Select(_ => new Thread(() => { while (!stop.IsCancellationRequested) { } }) { IsBackground = true })
            .ToList();
        busy.ForEach(thread => thread.Start());

        var waited = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested && (waited = wait.Read() - before) < TimeSpan.FromMilliseconds(100))
        {
            Thread.Sleep(10);
        }

        stop.Cancel();
        busy.ForEach(thread => thread.Join());
        Assert.True(waited >= TimeSpan.FromMilliseconds(100),
            $"{busy.Count} busy threads on {Environment.ProcessorCount} cores waited {waited.TotalMilliseconds:0} ms for a core in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static Dictionary<int, long> Threads(params (int Thread, int WaitMs)[] threads) =>
        threads.ToDictionary(thread => thread.Thread, thread => thread.WaitMs * 1_000_000L);

    private static void Write(DirectoryInfo tasks, string thread, string schedstat)
    {
        Directory.CreateDirectory(Path.Combine(tasks.FullName, thread));
        File.WriteAllText(Path.Combine(tasks.FullName, thread, "schedstat"), schedstat);
    }
}
