using System.Diagnostics;
using System.Security.Cryptography;

namespace VokeTag.AppHost.Lab;

/// <summary>
/// This start of the lab: a session id, and the AppHost process known by its pid <em>and</em> its start time, so that
/// a pid the system reused for another program is never taken for a live lab. Every process the lab starts carries
/// the session id in <see cref="SessionVariable"/>, which is how <c>Chaos:Cleanup</c> finds exactly the lab's own.
/// </summary>
public static class LabInstance
{
    public const string SessionVariable = "VOKETAG_LAB_SESSION";

    public static string SessionId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static int Pid { get; } = Environment.ProcessId;

    public static DateTimeOffset StartedAt { get; } = StartTimeOf(Environment.ProcessId) ?? DateTimeOffset.UtcNow;

    /// <summary>True when the process with this pid is running and started when the recorded one did.</summary>
    public static bool IsAlive(int pid, DateTimeOffset startedAt) =>
        StartTimeOf(pid) is { } actual && (actual - startedAt).Duration() < TimeSpan.FromSeconds(1);

    private static DateTimeOffset? StartTimeOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Puts the session id into the environment of every process and container the lab starts.</summary>
    public static IDistributedApplicationBuilder MarkLabProcesses(this IDistributedApplicationBuilder builder)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var resource in @event.Model.Resources.OfType<IResourceWithEnvironment>())
            {
                resource.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables[SessionVariable] = SessionId));
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
