using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VokeTag.AppHost.FaultProxy;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// <c>GET /targets</c> (the allow-list), <c>GET /connections</c> (connection strings and endpoints),
/// <c>GET /resources/{name}</c> (state and health of each instance) and
/// <c>POST /resources/{name}/{command}</c> with command start, stop or restart (all instances, or one with
/// <c>?instance=</c>), and <c>POST /resources/{name}/kill</c> (kill -9 of exactly one running instance's process
/// tree, as a crash would). Only the lab's own resources. A fault (stop, kill, proxy faults) needs a lease in
/// <c>X-Fault-Lease</c> (see <see cref="FaultLeases"/>), so that it never outlives the worker that injected it.
/// </summary>
public static class LabControlEndpoints
{
    public const string SecretHeader = "X-Lab-Secret";
    public const string LeaseHeader = "X-Fault-Lease";
    private const int MaxOwnerLength = 100;
    private static readonly string[] AllowedCommands =
        [KnownResourceCommands.StartCommand, KnownResourceCommands.StopCommand, KnownResourceCommands.RestartCommand];

    public static void RequireLabSecret(this WebApplication app, string secret)
    {
        var expected = Encoding.UTF8.GetBytes(secret);
        app.Use(async (context, next) =>
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers[SecretHeader].ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    detail: $"missing or wrong {SecretHeader}; nothing was done.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    public static void MapLabControlEndpoints(this IEndpointRouteBuilder app)
    {
        // The allow-list: what an experiment may target, derived from the AppHost's model.
        app.MapGet("/targets", (DistributedApplicationModel model) =>
            model.Resources.Where(resource => resource is not ParameterResource).Select(resource => resource.Name).Order());

        // Where each server and proxy listens, for tools that measure them side by side (bench/run.sh performance).
        app.MapGet("/connections", async (DistributedApplicationModel model, CancellationToken cancellationToken) =>
        {
            var connections = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var resource in model.Resources.OfType<IResourceWithConnectionString>())
            {
                connections[resource.Name] = await resource.GetConnectionStringAsync(cancellationToken);
            }

            var endpoints = model.Resources.OfType<IResourceWithEndpoints>().ToDictionary(
                resource => resource.Name,
                resource => resource.Annotations.OfType<EndpointAnnotation>().Where(endpoint => endpoint.AllocatedEndpoint is not null)
                    .ToDictionary(endpoint => endpoint.Name, endpoint => endpoint.AllocatedEndpoint!.UriString));
            return Results.Ok(new { connectionStrings = connections, endpoints });
        });

        app.MapGet("/resources/{name}", (string name, DistributedApplicationModel model, ResourceStates states) =>
            FindResource(model, name) is { } resource
                ? Results.Ok(new ResourceState(resource.Name, [.. states.InstancesOf(resource).Select(instance => new InstanceState(
                    instance.ResourceId, instance.Snapshot.State?.Text, instance.Snapshot.HealthStatus?.ToString()))]))
                : UnknownResource(model, name));

        // What the resource's processes use, for the worker's cache-cpu-peak, db-memory-peak … metrics.
        app.MapGet("/resources/{name}/usage", async (string name, DistributedApplicationModel model, ResourceUsage usage, CancellationToken cancellationToken) =>
            FindResource(model, name) is { } resource
                ? Results.Ok(new { resource = name, instances = await usage.MeasureAsync(resource, cancellationToken) })
                : UnknownResource(model, name));

        app.MapPost("/resources/{name}/kill", (string name, string? instance, HttpContext context, DistributedApplicationModel model,
            ResourceStates states, ResourceCommandService commands, FaultLeases leases, IServiceProvider services) =>
        {
            if (FindResource(model, name) is not { } resource)
            {
                return UnknownResource(model, name);
            }

            if (MissingLease(context, leases) is { } noLease)
            {
                return noLease;
            }

            var running = states.InstancesOf(resource).Where(update => update.Snapshot.State?.Text == KnownResourceStates.Running).ToList();
            var victim = instance is null
                ? running.ElementAtOrDefault(Random.Shared.Next(Math.Max(running.Count, 1)))
                : running.FirstOrDefault(update => update.ResourceId == instance);
            if (victim is null)
            {
                return Results.Problem(statusCode: 409, title: "Nothing to kill",
                    detail: instance is null ? $"{name} has no running instance." : $"'{instance}' is not a running instance of {name}.");
            }

            // Held before it is done: a fault must never exist without its undo. The crash supervisor normally brings
            // the instance back; if it does not, the lease's undo does.
            leases.Hold(LeaseOf(context), $"start {victim.ResourceId}", token => StartIfDownAsync(commands, states, resource, victim.ResourceId, token));
            services.GetService<Supervision.CrashSupervisor>()?.ExpectKill(victim.ResourceId); // restarted as a first crash
            return ProcessTree.Kill(victim) is { } pid
                ? Results.Ok(new { resource = name, instance = victim.ResourceId, pid })
                : Results.Problem(statusCode: 409, title: "Not a process",
                    detail: $"{victim.ResourceId} has no process id (a container?); only processes can be killed.");
        });

        app.MapPost("/resources/{name}/{command}", async (string name, string command, string? instance, HttpContext context,
            DistributedApplicationModel model, ResourceStates states, ResourceCommandService commands, FaultLeases leases,
            CancellationToken cancellationToken) =>
        {
            if (FindResource(model, name) is not { } resource)
            {
                return UnknownResource(model, name);
            }

            if (!AllowedCommands.Contains(command))
            {
                return Results.Problem(statusCode: 400, title: "Unknown command",
                    detail: $"'{command}' is not a lab command; allowed: {string.Join(", ", AllowedCommands)}, kill.");
            }

            if (instance is not null && !states.InstancesOf(resource).Any(update => update.ResourceId == instance))
            {
                return Results.Problem(statusCode: 404, title: "Unknown instance",
                    detail: $"'{instance}' is not an instance of {name}; known: {string.Join(", ", states.InstancesOf(resource).Select(update => update.ResourceId))}.");
            }

            if (command == KnownResourceCommands.StopCommand)
            {
                if (MissingLease(context, leases) is { } noLease)
                {
                    return noLease;
                }

                // Held before it is done, and done even if the caller dies meanwhile: the lease then undoes it.
                leases.Hold(LeaseOf(context), $"start {instance ?? name}", token => StartIfDownAsync(commands, states, resource, instance, token));
                cancellationToken = CancellationToken.None;
            }

            var result = instance is null
                ? await commands.ExecuteCommandAsync(resource, command, cancellationToken)
                : await commands.ExecuteCommandAsync(instance, command, cancellationToken);

            return result.Success
                ? Results.Ok(new { resource = name, command })
                : Results.Problem(statusCode: 409, title: "Command failed", detail: result.Message);
        });
    }

    /// <summary>
    /// <c>POST /resources/{name}/instances/{instance}/redeploy</c> (body <c>{"setting":"wrong-postgres-password"}</c>):
    /// restarts one replica with a broken setting (<see cref="Redeploys"/>), held by the caller's lease;
    /// <c>DELETE</c> on the same path restarts it with its own settings; <c>GET /redeploys</c> lists them.
    /// </summary>
    public static void MapRedeployEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/redeploys", (Redeploys redeploys) => redeploys.Active.Select(redeploy => new { redeploy.Instance, redeploy.Setting }));

        app.MapPost("/resources/{name}/instances/{instance}/redeploy", async (string name, string instance, RedeployRequest request, HttpContext context,
            DistributedApplicationModel model, ResourceStates states, ResourceCommandService commands, FaultLeases leases, Redeploys redeploys,
            IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (FindResource(model, name) is not { } resource)
            {
                return UnknownResource(model, name);
            }

            if (resource is not ProjectResource || services.GetService<RedeploySources>() is not { } sources)
            {
                return Results.Problem(statusCode: 400, title: "Not redeployable",
                    detail: $"'{name}' cannot be redeployed; only the API's replicas can.");
            }

            if (!states.InstancesOf(resource).Any(update => update.ResourceId == instance))
            {
                return Results.Problem(statusCode: 404, title: "Unknown instance",
                    detail: $"'{instance}' is not an instance of {name}; known: {string.Join(", ", states.InstancesOf(resource).Select(update => update.ResourceId))}.");
            }

            var settings = request.Setting is { } setting
                ? Redeploys.SettingsFor(setting,
                    await sources.Postgres.GetConnectionStringAsync(cancellationToken) ?? "",
                    await sources.Redis.GetConnectionStringAsync(cancellationToken) ?? "")
                : null;
            if (settings is null)
            {
                return Results.Problem(statusCode: 400, title: "Unknown setting",
                    detail: $"setting is {(request.Setting is null ? "missing" : $"'{request.Setting}'")}; allowed: {string.Join(", ", Redeploys.Settings)}.");
            }

            if (MissingLease(context, leases) is { } noLease)
            {
                return noLease;
            }

            // Held before it is done, and done even if the caller dies meanwhile: the lease then restarts it as it was.
            leases.Hold(LeaseOf(context), $"redeploy {instance} with its own settings", token => RestoreAsync(commands, redeploys, instance, token));
            redeploys.Set(new Redeploys.Redeploy(instance, instance[(name.Length + 1)..], request.Setting!, settings));
            var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.RestartCommand, CancellationToken.None);
            return result.Success
                ? Results.Ok(new { resource = name, instance, request.Setting })
                : Results.Problem(statusCode: 409, title: "Restart failed", detail: result.Message);
        });

        app.MapDelete("/resources/{name}/instances/{instance}/redeploy", async (string name, string instance, ResourceCommandService commands, Redeploys redeploys) =>
        {
            await RestoreAsync(commands, redeploys, instance, CancellationToken.None);
            return Results.Ok(new { resource = name, instance });
        });
    }

    /// <summary>Restarts a redeployed replica with its own settings; nothing to do for one that was not redeployed.</summary>
    private static async Task RestoreAsync(ResourceCommandService commands, Redeploys redeploys, string instance, CancellationToken cancellationToken)
    {
        if (redeploys.Remove(instance))
        {
            var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.RestartCommand, cancellationToken);
            if (!result.Success)
            {
                throw new InvalidOperationException($"restart of {instance} with its own settings failed: {result.Message}");
            }
        }
    }

    public sealed record RedeployRequest(string? Setting);

    /// <summary>
    /// <c>POST /leases</c> (body <c>{"owner":"…","ttlSeconds":5}</c>), <c>PUT /leases/{id}</c> (renew; 404 once it
    /// expired), <c>DELETE /leases/{id}</c> (release after rolling back) and <c>GET /leases</c>.
    /// </summary>
    public static void MapLeaseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/leases", (FaultLeases leases) => leases.Active.Select(lease => new
        {
            lease.Id, lease.Owner, TtlSeconds = lease.TimeToLive.TotalSeconds, lease.ExpiresAt, lease.Hidden,
            Faults = lease.Hidden ? [$"{lease.Faults.Count} fault(s), described after the round"] : lease.Faults.Select(fault => fault.Description).ToArray(),
        }));

        app.MapPost("/leases", (LeaseRequest request, FaultLeases leases) =>
        {
            if (string.IsNullOrWhiteSpace(request.Owner) || request.Owner.Length > MaxOwnerLength || request.Owner.Any(char.IsControl)
                || request.TtlSeconds is not { } seconds
                || seconds < FaultLeases.MinTimeToLive.TotalSeconds || seconds > FaultLeases.MaxTimeToLive.TotalSeconds)
            {
                return Results.Problem(statusCode: 400, title: "Invalid lease",
                    detail: $"owner must be a name of 1 to {MaxOwnerLength} characters without control characters, and ttlSeconds from {FaultLeases.MinTimeToLive.TotalSeconds} to {FaultLeases.MaxTimeToLive.TotalSeconds}; got owner of {request.Owner?.Length ?? 0} characters, ttlSeconds {request.TtlSeconds?.ToString() ?? "missing"}.");
            }

            var lease = leases.Open(request.Owner, TimeSpan.FromSeconds(seconds), request.Hidden);
            return Results.Ok(new { lease.Id, TtlSeconds = lease.TimeToLive.TotalSeconds, lease.ExpiresAt });
        });

        app.MapPut("/leases/{id}", (string id, FaultLeases leases) => leases.Renew(id)
            ? Results.Ok(new { id })
            : Results.Problem(statusCode: 404, title: "Lease expired", detail: $"Lease '{id}' is unknown or expired; its faults were undone."));

        app.MapDelete("/leases/{id}", (string id, FaultLeases leases) => leases.Release(id)
            ? Results.Ok(new { id })
            : Results.Problem(statusCode: 404, title: "Lease expired", detail: $"Lease '{id}' is unknown or expired; its faults were undone."));
    }

    private static string LeaseOf(HttpContext context) => context.Request.Headers[LeaseHeader].ToString();

    /// <summary>A 428 when the request has no live lease: a fault must have an owner that can die.</summary>
    private static IResult? MissingLease(HttpContext context, FaultLeases leases) =>
        LeaseOf(context) switch
        {
            "" => Results.Problem(statusCode: 428, title: "Lease required",
                detail: $"A fault needs a lease in {LeaseHeader} (POST /leases), so that it is undone if its owner dies; nothing was done."),
            var id when !leases.Exists(id) => Results.Problem(statusCode: 409, title: "Lease expired",
                detail: $"Lease '{id}' is unknown or expired; nothing was done."),
            _ => null,
        };

    private static async Task StartIfDownAsync(ResourceCommandService commands, ResourceStates states, IResource resource, string? instance, CancellationToken cancellationToken)
    {
        foreach (var down in states.InstancesOf(resource)
            .Where(update => (instance is null || update.ResourceId == instance) && update.Snapshot.State?.Text != KnownResourceStates.Running))
        {
            var result = await commands.ExecuteCommandAsync(down.ResourceId, KnownResourceCommands.StartCommand, cancellationToken);
            if (!result.Success)
            {
                throw new InvalidOperationException($"start of {down.ResourceId} failed: {result.Message}");
            }
        }
    }

    /// <param name="Hidden">A hidden game-day round's lease: what it holds is not described until the round is over.</param>
    public sealed record LeaseRequest(string? Owner, double? TtlSeconds, bool Hidden = false);

    /// <summary>
    /// <c>GET /proxies</c>, <c>PUT /proxies/{name}/faults</c> (a JSON array of faults) and
    /// <c>DELETE /proxies/{name}/faults</c> (back to pass-through).
    /// </summary>
    public static void MapFaultProxyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/proxies", (FaultProxies proxies) =>
            proxies.All.Select(proxy => new { proxy.Name, proxy.Port, proxy.Faults, proxy.OpenConnections }));

        app.MapPut("/proxies/{name}/faults", (string name, ProxyFault[] faults, HttpContext context, FaultProxies proxies, FaultLeases leases) =>
        {
            if (proxies.Find(name) is not { } proxy)
            {
                return Results.Problem(statusCode: 404, title: "Unknown proxy", detail: $"'{name}' is not a fault proxy of this lab; known: {proxies.KnownNames}.");
            }

            if (MissingLease(context, leases) is { } noLease)
            {
                return noLease;
            }

            var problems = faults.SelectMany(fault => fault.Validate()).ToList();
            if (problems.Count > 0)
            {
                return Results.Problem(statusCode: 400, title: "Invalid fault", detail: string.Join(" ", problems));
            }

            leases.Hold(LeaseOf(context), $"clear faults on {name}", _ =>
            {
                proxy.Apply([]);
                return Task.CompletedTask;
            });
            proxy.Apply(faults, leases.Find(LeaseOf(context)) is { Hidden: true } hidden ? hidden.Owner : null);
            return Results.Ok(new { proxy.Name, proxy.Faults });
        });

        app.MapDelete("/proxies/{name}/faults", (string name, FaultProxies proxies) =>
        {
            if (proxies.Find(name) is not { } proxy)
            {
                return Results.Problem(statusCode: 404, title: "Unknown proxy", detail: $"'{name}' is not a fault proxy of this lab; known: {proxies.KnownNames}.");
            }

            proxy.Apply([]);
            return Results.Ok(new { proxy.Name, proxy.Faults });
        });
    }

    private static IResource? FindResource(DistributedApplicationModel model, string name) =>
        model.Resources.FirstOrDefault(resource => resource.Name == name && resource is not ParameterResource);

    private static IResult UnknownResource(DistributedApplicationModel model, string name) =>
        Results.Problem(statusCode: 404, title: "Unknown resource",
            detail: $"'{name}' is not a resource of this lab; known: {string.Join(", ", model.Resources.Where(r => r is not ParameterResource).Select(r => r.Name))}.");

    public sealed record ResourceState(string Name, IReadOnlyList<InstanceState> Instances);

    public sealed record InstanceState(string Id, string? State, string? Health);
}
