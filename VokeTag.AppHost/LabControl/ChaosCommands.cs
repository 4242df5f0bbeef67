using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VokeTag.Experiments;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// The dashboard buttons on the <c>chaos</c> resource: one per experiment file found when the lab starts, "Run all",
/// "Reload experiments" and "Emergency stop". Each calls the worker's control API with the lab's secret; the run itself
/// shows up as a trace and in the worker's logs.
/// </summary>
public static class ChaosCommands
{
    /// <param name="experimentsFolder">The files whose experiments get a button each (those that can run).</param>
    public static IResourceBuilder<ProjectResource> WithChaosCommands(this IResourceBuilder<ProjectResource> chaos, string experimentsFolder)
    {
        var worker = chaos.GetEndpoint("http");
        chaos.ApplicationBuilder.Services.AddSingleton(provider => ActivatorUtilities.CreateInstance<EmergencyStop>(
            provider, worker, provider.GetRequiredService<LabControlServer>().Secret));

        var experiments = ExperimentFolder.Read(experimentsFolder).Select(result => result.Definition).OfType<ExperimentDefinition>();
        foreach (var (name, title) in experiments.Select(experiment => (experiment.Name, experiment.Title)))
        {
            chaos.WithCommand($"run-{name}", $"Run: {title}",
                context => StartRunAsync(chaos, context, [name]),
                new CommandOptions { IconName = "Play", UpdateState = RunnableWhenHealthy });
        }

        chaos.WithCommand("run-all", "Run all experiments",
            context => StartRunAsync(chaos, context, ["all"]),
            new CommandOptions { IconName = "PlayMultiple", UpdateState = RunnableWhenHealthy });

        // New and changed files run after this (Run all, headless, POST /runs); a button of their own comes with the next lab start.
        chaos.WithCommand("reload-experiments", "Reload experiments",
            context => PostAsync(chaos, context, "/experiments/reload", new { }),
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

    private static ResourceCommandState RunnableWhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;

    private static Task<ExecuteCommandResult> StartRunAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context, string[] experiments) =>
        PostAsync(chaos, context, "/runs", new { experiments });

    private static async Task<ExecuteCommandResult> PostAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context, string path, object body)
    {
        var secret = context.Services.GetRequiredService<LabControlServer>().Secret;
        using var client = new HttpClient { BaseAddress = new Uri(chaos.GetEndpoint("http").Url), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, secret);
        try
        {
            using var response = await client.PostAsJsonAsync(path, body, context.CancellationToken);
            return response.IsSuccessStatusCode
                ? CommandResults.Success()
                : CommandResults.Failure($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(context.CancellationToken)}");
        }
        catch (HttpRequestException exception)
        {
            return CommandResults.Failure($"The chaos worker did not answer: {exception.Message}");
        }
    }
}
