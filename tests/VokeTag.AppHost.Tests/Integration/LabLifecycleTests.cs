using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using VokeTag.AppHost.Containers;
using VokeTag.AppHost.Lab;
using VokeTag.AppHost.LabControl;
using Xunit.Abstractions;
using static VokeTag.AppHost.Tests.Integration.LabSessions;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// The lab's life as processes on a shared machine, run as a user runs it: a second start while one runs is refused
/// by name, a clean stop leaves no session file behind, the cleanup command stops exactly the processes of labs
/// whose AppHost is gone — never someone else's — and a container engine that cannot start the lab's containers ends
/// the start at once, named, instead of leaving it waiting.
/// </summary>
[Collection(LabCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the lab's process tools are POSIX (signals, file modes, /proc)
public sealed class LabLifecycleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_second_start_is_refused_naming_the_running_lab_and_a_clean_stop_removes_its_session_file()
    {
        await FixedPortsFreeAsync();
        var before = SessionFiles();
        using var first = AppHostCli.Start([]);
        var dashboardUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Login to the dashboard", StringComparison.Ordinal) == true)
            {
                dashboardUp.TrySetResult();
            }
        };
        first.BeginOutputReadLine();
        first.BeginErrorReadLine();
        try
        {
            await dashboardUp.Task.WaitAsync(StartLimit);
            var session = await NewSessionAsync(before, first);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(LabSessionFile.Directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(LabSessionFile.Directory, $"{session.Pid}.json")));

            var (exitCode, text) = await AppHostCli.RunAsync([], output);

            output.WriteLine(text);
            Assert.Equal(1, exitCode);
            Assert.Contains("A VokeTag lab is already running (", text);
            Assert.Contains($"AppHost pid {session.Pid}, started", text);
            Assert.Contains("Nothing was started", text);
            Assert.Contains("http://localhost:15080", text); // the dashboard that is already up
            Assert.DoesNotContain("   at ", text); // no stack trace
            Assert.True(session.IsRunning, "the refused start touched the running lab");

            Assert.Equal(0, Kill(session.Pid, Signal.Terminate)); // as Ctrl-C in its terminal
            await first.WaitForExitAsync(new CancellationTokenSource(StartLimit).Token);
            Assert.False(File.Exists(Path.Combine(LabSessionFile.Directory, $"{session.Pid}.json")), "session file left after a clean stop");
        }
        finally
        {
            if (!first.HasExited)
            {
                first.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Cleanup_stops_only_the_processes_of_labs_whose_AppHost_is_gone()
    {
        var live = new LabSession(Environment.ProcessId, StartTimeOf(Environment.ProcessId), "live-" + Guid.NewGuid().ToString("N")[..8],
            new Uri("http://127.0.0.1:9"), "unused", null);
        LabSessionFile.Write(live); // this test process stands in for a running lab
        using var orphan = Sleep(session: "gone-" + Guid.NewGuid().ToString("N")[..8]);
        using var runningLabs = Sleep(session: live.SessionId);
        using var someoneElses = Sleep(session: null); // e.g. your own redis-server: no marker
        try
        {
            var (exitCode, text) = await AppHostCli.RunAsync(["Chaos:Cleanup=true"], output);

            output.WriteLine(text);
            Assert.Equal(0, exitCode);
            Assert.Contains($"stopping pid {orphan.Id} (sleep 300)", text);
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(10)), "the orphaned lab process still runs");
            Assert.False(runningLabs.HasExited, "cleanup stopped a process of a running lab");
            Assert.False(someoneElses.HasExited, "cleanup stopped a process that is not the lab's");
            Assert.DoesNotContain($"pid {runningLabs.Id} ", text);
        }
        finally
        {
            LabSessionFile.Delete(live.Pid);
            foreach (var process in new[] { orphan, runningLabs, someoneElses }.Where(process => !process.HasExited))
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task In_containers_SIGTERM_leaves_no_container_or_volume_and_what_a_kill_9_left_is_swept_at_the_next_start()
    {
        var runtime = ContainerModeTests.Runtime();
        string[] containerMode = ["Lab:Runtime=container", $"Lab:ImageRegistry={ContainerLab.ImageRegistry}"];

        // SIGTERM, as Ctrl-C in the lab's terminal would be (a background process ignores SIGINT, see ENVIRONMENT.md).
        var stopped = await StartContainerLabAsync(containerMode, runtime);
        Assert.Equal(0, Kill(stopped.Session.Pid, Signal.Terminate));
        await stopped.Process.WaitForExitAsync(new CancellationTokenSource(StartLimit).Token);
        AssertNothingLeft(runtime, stopped.Session.SessionId, "after SIGTERM");

        // kill -9: nothing of the lab's own runs to clean up; the next start sweeps it.
        var killed = await StartContainerLabAsync(containerMode, runtime);
        Assert.Equal(0, Kill(killed.Session.Pid, Signal.Kill));
        await killed.Process.WaitForExitAsync(new CancellationTokenSource(StartLimit).Token);
        output.WriteLine($"after kill -9: {LabContainers.Containers(runtime).Count(container => container.Session == killed.Session.SessionId)} container(s), " +
            $"{LabContainers.Volumes(runtime).Count(volume => volume.Contains(killed.Session.SessionId))} volume(s) of the killed lab");
        await FixedPortsFreeAsync();
        var (exitCode, text) = await AppHostCli.RunAsync([.. containerMode, "Chaos:Run=redis-failure", "Chaos:DryRun=true"], output);
        Assert.True(exitCode == 0, text);
        AssertNothingLeft(runtime, killed.Session.SessionId, "after the next start");
    }

    [Fact]
    public async Task An_engine_that_cannot_start_containers_ends_the_start_at_once_naming_the_resource_and_the_engines_message()
    {
        // Podman that answers 'info' but whose OCI runtime fails every container, as crun on hybrid cgroups or a refused
        // ulimit do on some machines: a runtime that says why and exits 1.
        var folder = Directory.CreateTempSubdirectory("voketag-broken-engine-").FullName;
        try
        {
            var runtimePath = Path.Combine(folder, "refusing-runtime");
            await File.WriteAllTextAsync(runtimePath, "#!/bin/sh\necho 'voketag-test runtime: starts nothing' >&2\nexit 1\n");
            File.SetUnixFileMode(runtimePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var conf = Path.Combine(folder, "containers.conf");
            await File.WriteAllTextAsync(conf,
                $"[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = \"refusing\"\n\n[engine.runtimes]\nrefusing = [\"{runtimePath}\"]\n");
            await FixedPortsFreeAsync();

            var (exitCode, text) = await AppHostCli.RunAsync(
                ["Lab:Runtime=container", $"Lab:ImageRegistry={ContainerLab.ImageRegistry}"], output,
                new Dictionary<string, string> { ["CONTAINERS_CONF"] = conf, ["ASPIRE_CONTAINER_RUNTIME"] = "podman" });

            output.WriteLine(text);
            Assert.Equal(1, exitCode);
            Assert.Contains($"The lab cannot start: cache: podman could not start a container from {ContainerLab.ImageRegistry}/library/redis:8.6", text);
            Assert.Contains("voketag-test runtime: starts nothing", text); // the engine's own words
            Assert.DoesNotContain("   at ", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_image_the_engine_cannot_get_ends_the_start_naming_the_image()
    {
        var runtime = ContainerModeTests.Runtime();
        await FixedPortsFreeAsync();

        var (exitCode, text) = await AppHostCli.RunAsync(["Lab:Runtime=container", "Lab:ImageRegistry=localhost/voketag-lab-missing"], output);

        output.WriteLine(text);
        Assert.Equal(1, exitCode);
        Assert.Contains($"pulling localhost/voketag-lab-missing/library/redis:8.6 for cache with {runtime}", text);
        Assert.Contains($"The lab cannot start: cache: {runtime} could not pull localhost/voketag-lab-missing/library/redis:8.6: ", text);
        Assert.DoesNotContain("   at ", text);
    }

    private static async Task<(Process Process, LabSession Session)> StartContainerLabAsync(string[] settings, string runtime)
    {
        await FixedPortsFreeAsync(); // the previous lab's dashboard may still be closing its ports
        var before = SessionFiles();
        var lab = AppHostCli.Start(settings);
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        lab.OutputDataReceived += (_, line) => said.Enqueue(line.Data ?? "");
        lab.ErrorDataReceived += (_, line) => said.Enqueue(line.Data ?? "");
        lab.BeginOutputReadLine();
        lab.BeginErrorReadLine();
        try
        {
            LabSession session;
            try
            {
                session = await NewSessionAsync(before, lab);
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"{exception.Message}; it said:\n{string.Join("\n", said.TakeLast(30))}");
            }

            using var limit = new CancellationTokenSource(StartLimit);
            while (LabContainers.Containers(runtime).Count(container => container.Session == session.SessionId) < 2
                || !LabContainers.Volumes(runtime).Any(volume => volume.Contains(session.SessionId)))
            {
                Assert.False(lab.HasExited, "the container lab exited while starting");
                await Task.Delay(TimeSpan.FromMilliseconds(500), limit.Token); // poll while the engine creates cache and db
            }

            return (lab, session);
        }
        catch
        {
            // A lab that failed its start must not outlive this test: it would hold the fixed ports, and every later
            // test that starts a lab would be refused ("a VokeTag lab is already running"). What its engine keeps is
            // swept by the next container lab's start.
            lab.Kill(entireProcessTree: true);
            await lab.WaitForExitAsync();
            throw;
        }
    }

    private static void AssertNothingLeft(string runtime, string session, string when)
    {
        Assert.True(!LabContainers.Containers(runtime).Any(container => container.Session == session), $"a container of the lab is left {when}");
        Assert.True(!LabContainers.Volumes(runtime).Any(volume => volume.Contains(session)), $"a volume of the lab is left {when}");
    }

    private static Process Sleep(string? session)
    {
        var start = new ProcessStartInfo("sleep", ["300"]);
        start.Environment.Remove(LabInstance.SessionVariable);
        if (session is not null)
        {
            start.Environment[LabInstance.SessionVariable] = session;
        }

        return Process.Start(start)!;
    }

    private static DateTimeOffset StartTimeOf(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
