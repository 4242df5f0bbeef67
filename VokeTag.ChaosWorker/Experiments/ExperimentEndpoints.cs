using System.Security.Cryptography;
using System.Text;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Reports;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// The worker's control API, used by the dashboard's commands on the <c>chaos</c> resource and by tests. Every call
/// needs the lab's secret in <c>X-Lab-Secret</c>.
/// </summary>
public static class ExperimentEndpoints
{
    public static void MapExperimentEndpoints(this WebApplication app, string secret)
    {
        // A middleware, not an endpoint filter: the secret is checked before a body is read, so a caller without it
        // gets 401 whatever it sends, and learns nothing from a 400. Health endpoints stay open to Aspire, and the
        // reports to a browser (read-only).
        app.UseWhen(context => !IsHealthEndpoint(context.Request.Path) && !ReportEndpoints.IsReportRead(context), secured => secured.Use(async (context, next) =>
        {
            if (HasSecret(context, secret))
            {
                await next(context);
            }
            else
            {
                await Results.Problem(statusCode: 401, title: "Unauthorized", detail: $"missing or wrong {LabControlClient.SecretHeader}")
                    .ExecuteAsync(context);
            }
        }));

        var control = app.MapGroup("/");

        control.MapGet("/experiments", (ExperimentCatalog catalog) => Results.Ok(Listing(catalog)));

        // Reads the experiments folder again: new and changed files can run, and files with problems say which.
        control.MapPost("/experiments/reload", (ExperimentCatalog catalog) =>
        {
            catalog.Reload();
            return Results.Ok(Listing(catalog));
        });

        control.MapPost("/runs", async (RunRequest request, ExperimentCatalog catalog, RunPlanner planner, Toolkit.ToolkitRunner toolkit, WorkerSettings settings,
            RunCoordinator coordinator, CancellationToken cancellationToken) =>
        {
            var (runs, problems) = request.Resolve(catalog, toolkit, settings.ProcessToken);
            if (problems.Count > 0)
            {
                return Results.Problem(statusCode: 400, title: "Invalid run request", detail: string.Join(" ", problems));
            }

            var plans = runs.Select(run => planner.Plan(run.Experiment, run.Options)).ToList();
            if (await planner.CheckAllowListAsync(plans, cancellationToken) is { Count: > 0 } outside)
            {
                return Results.Problem(statusCode: 400, title: "Target outside the lab", detail: string.Join(" ", outside));
            }

            if (request.DryRun)
            {
                return Results.Ok(new { dryRun = true, plans }); // nothing injected, nothing queued
            }

            return coordinator.TryStart(runs) is { } runIds
                ? Results.Accepted($"/runs/{runIds[0]}", new { runIds })
                : Results.Problem(statusCode: 409, title: "A run is in progress", detail: "Wait for it, or stop it with POST /runs/stop.");
        });

        control.MapGet("/runs/{runId}", (string runId, RunCoordinator coordinator) =>
            coordinator.Find(runId) is { } view
                ? Results.Ok(new { view.RunId, view.Experiment, view.Status, view.ReportsFolder, Record = view.Run is null ? null : JsonReport.ToRecord(view.Run) })
                : Results.Problem(statusCode: 404, title: "Unknown run", detail: $"No run '{runId}'."));

        control.MapPost("/runs/stop", async (RunCoordinator coordinator) =>
            Results.Ok(new { stopped = await coordinator.StopAsync() }));
    }

    /// <summary>What can run (name, title, file, hypothesis, criteria with defaults) and what cannot (file, problems).</summary>
    private static object Listing(ExperimentCatalog catalog) => new
    {
        catalog.Folder,
        Experiments = catalog.All.Select(experiment => new
        {
            experiment.Name,
            experiment.Title,
            File = (experiment as Definitions.FileExperiment)?.Definition.Source,
            Hypothesis = experiment.HypothesisFor(experiment.Defaults(new RunOptions())).Statement,
            Criteria = experiment.HypothesisFor(experiment.Defaults(new RunOptions())).Criteria
                .Select(criterion => new { criterion.Name, criterion.Statement, Default = criterion.Expectation }),
        }),
        Invalid = catalog.Invalid.Select(file => new { file.File, Problems = file.Problems.Select(problem => problem.ToString()) }),
    };

    private static bool IsHealthEndpoint(PathString path) =>
        path.StartsWithSegments(Extensions.HealthEndpointPath) || path.StartsWithSegments(Extensions.AlivenessEndpointPath);

    private static bool HasSecret(HttpContext context, string secret) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(context.Request.Headers[LabControlClient.SecretHeader].ToString()),
            Encoding.UTF8.GetBytes(secret));
}
