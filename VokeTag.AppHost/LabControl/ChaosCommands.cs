using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VokeTag.Experiments;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// The dashboard buttons on the <c>chaos</c> resource: one per experiment file that can run, "Run all", "Reload
/// experiments" and "Emergency stop". Each calls the worker's control API with the lab's secret; the run itself shows
/// up as a trace and in the worker's logs. Reloading reads the folder again in the worker and here: a new file gets
/// its button at once, a removed or broken one's button is hidden.
/// </summary>
public static class ChaosCommands
{
    /// <param name="experimentsFolder">The files whose experiments get a button each (those that can run).</param>
    public static IResourceBuilder<ProjectResource> WithChaosCommands(this IResourceBuilder<ProjectResource> chaos, string experimentsFolder)
    {
        var worker = chaos.GetEndpoint("http");
        chaos.ApplicationBuilder.Services.AddSingleton(provider => ActivatorUtilities.CreateInstance<EmergencyStop>(
            provider, worker, provider.GetRequiredService<LabControlServer>().Secret));

        var buttons = new ExperimentButtons(chaos);
        buttons.Update(ExperimentFolder.Read(experimentsFolder));

        chaos.WithCommand("run-all", "Run all experiments",
            context => StartRunAsync(chaos, context, ["all"]),
            new CommandOptions { IconName = "PlayMultiple", UpdateState = RunnableWhenHealthy });

        chaos.WithCommand("reload-experiments", "Reload experiments",
            async context =>
            {
                var reloaded = await PostAsync(chaos, context, "/experiments/reload", new { });
                if (!reloaded.Success)
                {
                    return reloaded;
                }

                var files = ExperimentFolder.Read(experimentsFolder);
                var added = buttons.Update(files);
                // An update with nothing else changed: Aspire adds the new commands to the snapshot and re-evaluates their state.
                await context.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(chaos.Resource, snapshot => snapshot);

                var broken = files.Where(file => !file.IsValid).ToList();
                return CommandResults.Success(
                    $"{files.Count - broken.Count} experiment(s) can run{(added > 0 ? $", {added} new" : "")}" +
                    (broken.Count == 0 ? "." : $"; cannot run: {string.Join("; ", broken.Select(file => $"{file.File} ({file.Problems[0]})"))}"));
            },
            new CommandOptions { IconName = "ArrowSync", UpdateState = RunnableWhenHealthy });

        chaos.WithCommand("emergency-stop", "Emergency stop",
            async context =>
            {
                await context.Services.GetRequiredService<EmergencyStop>().StopAsync(context.CancellationToken);
                return CommandResults.Success();
            },
            new CommandOptions { IconName = "Stop", IsHighlighted = true }); // enabled even when the worker is unhealthy

        return chaos;
    }

    /// <summary>
    /// A "Run: title" button per experiment that can run. Aspire keeps a command once it is in the resource's snapshot,
    /// so one that no longer can run keeps its button, hidden.
    /// </summary>
    private sealed class ExperimentButtons(IResourceBuilder<ProjectResource> chaos)
    {
        private readonly HashSet<string> _named = [];
        private volatile IReadOnlySet<string> _runnable = new HashSet<string>();

        /// <returns>How many buttons were added.</returns>
        public int Update(IReadOnlyList<ExperimentFileResult> files)
        {
            var experiments = files.Select(file => file.Definition).OfType<ExperimentDefinition>().ToList();
            _runnable = experiments.Select(experiment => experiment.Name).ToHashSet();
            var added = 0;
            foreach (var experiment in experiments.Where(experiment => _named.Add(experiment.Name)))
            {
                var name = experiment.Name;
                chaos.WithCommand($"run-{name}", $"Run: {experiment.Title}",
                    context => StartRunAsync(chaos, context, [name]),
                    new CommandOptions
                    {
                        IconName = "Play",
                        UpdateState = context => _runnable.Contains(name) ? RunnableWhenHealthy(context) : ResourceCommandState.Hidden,
                    });
                added++;
            }

            return added;
        }
    }

    private static string? Said(string answer, string property)
    {
        try
        {
            return System.Text.Json.JsonDocument.Parse(answer).RootElement is { ValueKind: System.Text.Json.JsonValueKind.Object } root
                && root.TryGetProperty(property, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static ResourceCommandState RunnableWhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;

    private static Task<ExecuteCommandResult> StartRunAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context, string[] experiments) =>
        PostAsync(chaos, context, "/runs", new { experiments });

    /// <summary>The worker's control API with the lab's secret.</summary>
    internal static HttpClient WorkerClient(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context)
    {
        var client = new HttpClient { BaseAddress = new Uri(chaos.GetEndpoint("http").Url), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, context.Services.GetRequiredService<LabControlServer>().Secret);
        return client;
    }

    /// <returns>Success with the worker's <c>message</c> when it sends one; a failure with its problem's detail.</returns>
    internal static async Task<ExecuteCommandResult> PostAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context, string path, object body)
    {
        using var client = WorkerClient(chaos, context);
        try
        {
            using var response = await client.PostAsJsonAsync(path, body, context.CancellationToken);
            var answer = await response.Content.ReadAsStringAsync(context.CancellationToken);
            return response.IsSuccessStatusCode
                ? Said(answer, "message") is { } message ? CommandResults.Success(message) : CommandResults.Success()
                : CommandResults.Failure(Said(answer, "detail") ?? $"{(int)response.StatusCode}: {answer}");
        }
        catch (HttpRequestException exception)
        {
            return CommandResults.Failure($"The chaos worker did not answer: {exception.Message}");
        }
    }
}
