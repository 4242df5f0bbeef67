#pragma warning disable ASPIREINTERACTION001 // the interaction service is in preview in Aspire 13
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// Game days from the dashboard: the facilitator's <b>Start game day</b>, the blue team's <b>Declare incident</b>,
/// <b>Diagnose</b> and <b>Mitigate</b>, and the observers' <b>Note</b>, each a command on the <c>chaos</c> resource that asks
/// its questions in a dashboard dialog (Aspire's interaction service) and hands the answers to the worker, which runs the
/// game day, checks every answer against what it injected and scores it.
/// </summary>
public static class GameDayCommands
{
    public static IResourceBuilder<ProjectResource> WithGameDayCommands(this IResourceBuilder<ProjectResource> chaos)
    {
        chaos.WithCommand("start-game-day", "Start game day", context => WithDashboard(context, () => StartAsync(chaos, context)),
            new CommandOptions { IconName = "PeopleTeam", UpdateState = WhenHealthy, Description = "Rounds of a hidden fault drawn from a pool of experiments, for a team to find and fix." });
        chaos.WithCommand("declare-incident", "Declare incident", context => WithDashboard(context, () => DeclareAsync(chaos, context)),
            new CommandOptions { IconName = "Alert", UpdateState = WhenHealthy, Description = "Game day: the blue team says something is wrong." });
        chaos.WithCommand("diagnose", "Diagnose", context => WithDashboard(context, () => DiagnoseAsync(chaos, context)),
            new CommandOptions { IconName = "Stethoscope", UpdateState = WhenHealthy, Description = "Game day: which resource, which kind of fault." });
        chaos.WithCommand("mitigate", "Mitigate", context => WithDashboard(context, () => MitigateAsync(chaos, context)),
            new CommandOptions { IconName = "Wrench", UpdateState = WhenHealthy, Description = "Game day: restart or start a resource, or wait for self-healing." });
        chaos.WithCommand("note", "Note", context => WithDashboard(context, () => NoteAsync(chaos, context)),
            new CommandOptions { IconName = "Note", UpdateState = WhenHealthy, Description = "Game day: an observer's timestamped note." });
        return chaos;
    }

    private static async Task<ExecuteCommandResult> StartAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context)
    {
        if (await OptionsAsync(chaos, context) is not { } options)
        {
            return CommandResults.Failure("The chaos worker did not answer; is it running?");
        }

        var answers = await PromptAsync(context, "Start game day",
            $"The lab injects a fault drawn from the pool, without saying which, under steady traffic. The team finds it with the dashboard and answers with the Declare incident, Diagnose and Mitigate commands. Scenarios: {string.Join(", ", options.Scenarios)}.",
            [
                new InteractionInput { Name = "scenarios", Label = "Scenario pool", InputType = InputType.Text, Required = true, Value = "all", Description = "all, or experiment names separated by commas" },
                new InteractionInput { Name = "rounds", Label = "Rounds", InputType = InputType.Number, Required = true, Value = "2" },
                new InteractionInput { Name = "hidden", Label = "Hide the scenario until the end", InputType = InputType.Boolean, Value = "true" },
                new InteractionInput { Name = "limit", Label = "Round time limit (seconds)", InputType = InputType.Number, Required = true, Value = "300" },
            ],
            validation =>
            {
                var unknown = Names(validation.Inputs.GetString("scenarios")).Where(name => name != "all" && !options.Scenarios.Contains(name)).ToList();
                if (unknown.Count > 0)
                {
                    validation.AddValidationError(validation.Inputs["scenarios"], $"Unknown scenario {string.Join(", ", unknown)}; known: all, {string.Join(", ", options.Scenarios)}.");
                }

                WholeNumber(validation, "rounds", 1, 10);
                WholeNumber(validation, "limit", 30, 1800);
            });
        if (answers is null)
        {
            return CommandResults.Canceled();
        }

        return await ChaosCommands.PostAsync(chaos, context, "/gamedays", new
        {
            scenarios = Names(answers.GetString("scenarios")),
            rounds = answers.GetInt32("rounds"),
            hidden = answers.GetBoolean("hidden"),
            roundLimitSeconds = answers.GetInt32("limit"),
        });
    }

    private static async Task<ExecuteCommandResult> DeclareAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context)
    {
        var answers = await PromptAsync(context, "Declare incident", "What do you see? The time of this declaration is your time to detect.",
            [
                new InteractionInput { Name = "text", Label = "What you see", InputType = InputType.Text, Required = true, MaxLength = 500 },
                By("blue team"),
            ]);
        return answers is null
            ? CommandResults.Canceled()
            : await ChaosCommands.PostAsync(chaos, context, "/gamedays/current/declare", new { by = answers.GetString("by"), text = answers.GetString("text") });
    }

    private static async Task<ExecuteCommandResult> DiagnoseAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context)
    {
        if (await OptionsAsync(chaos, context) is not { } options)
        {
            return CommandResults.Failure("The chaos worker did not answer; is it running?");
        }

        var answers = await PromptAsync(context, "Diagnose", "Which resource is at fault, and what kind of fault is it? A wrong diagnosis counts against the round.",
            [
                Choice("resource", "Resource", options.Resources),
                Choice("kind", "Kind of fault", options.Kinds),
                By("blue team"),
            ]);
        return answers is null
            ? CommandResults.Canceled()
            : await ChaosCommands.PostAsync(chaos, context, "/gamedays/current/diagnose",
                new { by = answers.GetString("by"), resource = answers.GetString("resource"), kind = answers.GetString("kind") });
    }

    private static async Task<ExecuteCommandResult> MitigateAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context)
    {
        if (await OptionsAsync(chaos, context) is not { } options)
        {
            return CommandResults.Failure("The chaos worker did not answer; is it running?");
        }

        var answers = await PromptAsync(context, "Mitigate",
            "The worker carries it out. A restart of a healthy resource really restarts it (users see the errors); the fault stays until the right mitigation or the round's limit.",
            [Choice("mitigation", "Mitigation", options.Mitigations), By("blue team")]);
        if (answers is null)
        {
            return CommandResults.Canceled();
        }

        var mitigation = answers.GetString("mitigation") ?? "";
        var (action, resource) = mitigation.Split(' ', 2) is [var verb, var target] ? (verb, target) : (mitigation, null);
        return await ChaosCommands.PostAsync(chaos, context, "/gamedays/current/mitigate", new { by = answers.GetString("by"), action, resource });
    }

    private static async Task<ExecuteCommandResult> NoteAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context)
    {
        var answers = await PromptAsync(context, "Note", "A timestamped note on the game day's timeline, for the post-mortem.",
            [new InteractionInput { Name = "text", Label = "Note", InputType = InputType.Text, Required = true, MaxLength = 1000 }, By("observer")]);
        return answers is null
            ? CommandResults.Canceled()
            : await ChaosCommands.PostAsync(chaos, context, "/gamedays/current/notes", new { by = answers.GetString("by"), text = answers.GetString("text") });
    }

    private static Task<ExecuteCommandResult> WithDashboard(ExecuteCommandContext context, Func<Task<ExecuteCommandResult>> command) =>
        context.Services.GetRequiredService<IInteractionService>().IsAvailable
            ? command()
            : Task.FromResult(CommandResults.Failure("Game-day prompts need the dashboard; without one, play through the worker's API (README: Game days)."));

    /// <returns>The answers, or null when the dialog was dismissed.</returns>
    private static async Task<InteractionInputCollection?> PromptAsync(
        ExecuteCommandContext context, string title, string message, IReadOnlyList<InteractionInput> inputs, Action<InputsDialogValidationContext>? validate = null)
    {
        var result = await context.Services.GetRequiredService<IInteractionService>().PromptInputsAsync(title, message, inputs, new InputsDialogInteractionOptions
        {
            PrimaryButtonText = title,
            ValidationCallback = validate is null ? null : validation =>
            {
                validate(validation);
                return Task.CompletedTask;
            },
        }, context.CancellationToken);
        return result.Canceled ? null : result.Data;
    }

    private static void WholeNumber(InputsDialogValidationContext validation, string name, int min, int max)
    {
        if (!int.TryParse(validation.Inputs[name].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            validation.AddValidationError(validation.Inputs[name], $"A whole number from {min} to {max}.");
        }
    }

    private static InteractionInput Choice(string name, string label, IReadOnlyList<string> values) => new()
    {
        Name = name,
        Label = label,
        InputType = InputType.Choice,
        Required = true,
        Options = [.. values.Select(value => KeyValuePair.Create(value, value))],
    };

    private static InteractionInput By(string who) =>
        new() { Name = "by", Label = "Who", InputType = InputType.Text, Value = who, MaxLength = 100 };

    private static List<string> Names(string? pool) =>
        [.. (pool ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static ResourceCommandState WhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;

    private static async Task<GameDayOptions?> OptionsAsync(IResourceBuilder<ProjectResource> chaos, ExecuteCommandContext context)
    {
        using var client = ChaosCommands.WorkerClient(chaos, context);
        try
        {
            return await client.GetFromJsonAsync<GameDayOptions>("/gamedays/options", JsonSerializerOptions.Web, context.CancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException)
        {
            return null;
        }
    }

    /// <summary>What the worker's <c>GET /gamedays/options</c> offers the prompts.</summary>
    private sealed record GameDayOptions(List<string> Scenarios, List<string> Resources, List<string> Kinds, List<string> Mitigations);
}
