using System.Net;
using System.Security.Cryptography;
using System.Text;
using VokeTag.SampleApi.Diagnostics;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Chaos;

/// <summary>
/// <c>PUT /chaos/cpu</c> (body <c>{"share":0.5,"durationSeconds":30}</c>), <c>GET /chaos/cpu</c> and
/// <c>DELETE /chaos/cpu</c>: CPU pressure inside this replica; <c>PUT /chaos/calls</c> (body
/// <c>{"dependency":"redis","kind":"latency","share":0.05,"latencyMs":1000,"durationSeconds":30}</c>), <c>GET</c> and
/// <c>DELETE /chaos/calls</c>: faults on a share of this replica's calls to a dependency (<see cref="CallChaos"/>).
/// For the chaos worker; each fault ends by itself at its deadline. Mapped only when the lab gave
/// the API its per-start secret (<c>Chaos:HookSecret</c>); every call needs it in <c>X-Lab-Secret</c> and must come
/// from loopback. Nothing else is reachable through these hooks.
/// </summary>
public static class ChaosHookEndpoints
{
    public const string SecretHeader = "X-Lab-Secret";
    public const string SecretSetting = "Chaos:HookSecret";

    public static WebApplication MapChaosHooks(this WebApplication app, IConfiguration configuration)
    {
        if (configuration[SecretSetting] is not { Length: > 0 } secret)
        {
            return app; // outside the lab: no hooks at all
        }

        // A middleware, not an endpoint filter: the caller is checked before its body is read, so a stranger learns
        // nothing from a 400 about a body it had no right to send.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/chaos"), hooksOnly => hooksOnly.Use(async (context, next) =>
        {
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            {
                await Results.Problem(statusCode: 403, title: "Forbidden", detail: "Chaos hooks answer loopback callers only.").ExecuteAsync(context);
            }
            else if (!CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(context.Request.Headers[SecretHeader].ToString()), Encoding.UTF8.GetBytes(secret)))
            {
                await Results.Problem(statusCode: 401, title: "Unauthorized", detail: $"missing or wrong {SecretHeader}").ExecuteAsync(context);
            }
            else
            {
                await next(context);
            }
        }));

        var hooks = app.MapGroup("/chaos");
        hooks.MapGet("/cpu", (CpuPressure pressure) => Results.Ok(View(pressure.State)));

        hooks.MapPut("/cpu", (CpuPressureRequest request, CpuPressure pressure) =>
        {
            var problems = request.Validate().ToList();
            return problems.Count > 0
                ? Results.Problem(statusCode: 400, title: "Invalid CPU pressure", detail: string.Join(" ", problems))
                : Results.Ok(View(pressure.Apply(request.Share!.Value, TimeSpan.FromSeconds(request.DurationSeconds!.Value))));
        });

        hooks.MapDelete("/cpu", (CpuPressure pressure) =>
        {
            pressure.Stop();
            return Results.Ok(View(pressure.State));
        });

        hooks.MapGet("/calls", (CallChaos chaos) => Results.Ok(View(chaos)));

        hooks.MapPut("/calls", (CallFaultRequest request, CallChaos chaos) =>
        {
            var problems = request.Validate().ToList();
            if (problems.Count > 0)
            {
                return Results.Problem(statusCode: 400, title: "Invalid call fault", detail: string.Join(" ", problems));
            }

            chaos.Apply(request.DependencyValue, request.KindValue, request.Share!.Value,
                TimeSpan.FromMilliseconds(request.LatencyMs ?? 0), TimeSpan.FromSeconds(request.DurationSeconds!.Value));
            return Results.Ok(View(chaos));
        });

        hooks.MapDelete("/calls", (CallChaos chaos) =>
        {
            chaos.Clear();
            return Results.Ok(View(chaos));
        });

        return app;
    }

    private static object View(CallChaos chaos) => new
    {
        Replica = ReplicaIdentity.Current,
        Faults = chaos.Active.Select(fault => new
        {
            Dependency = fault.Dependency.PipelineName(),
            Kind = fault.Kind.ToString().ToLowerInvariant(),
            fault.Share,
            LatencyMs = fault.Latency.TotalMilliseconds,
            fault.Until,
        }),
        Injected = chaos.Injected.ToDictionary(pair => pair.Key.PipelineName(), pair => pair.Value),
    };

    private static object View(PressureState state) => new { Replica = ReplicaIdentity.Current, state.Share, state.Cores, state.Until };
}

public sealed record CpuPressureRequest(double? Share, double? DurationSeconds)
{
    public IEnumerable<string> Validate()
    {
        if (Share is not (> 0 and <= 1))
        {
            yield return $"share is {Share?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; allowed: above 0 up to 1 (the share of every core to burn).";
        }

        if (DurationSeconds is not { } seconds || !(seconds > 0) || seconds > CpuPressure.MaxDuration.TotalSeconds)
        {
            yield return $"durationSeconds is {DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; allowed: above 0 up to {CpuPressure.MaxDuration.TotalSeconds:0}.";
        }
    }
}

/// <summary>The body of <c>PUT /chaos/calls</c>; names as in experiment files (<c>redis</c>, <c>postgres</c>; <c>error</c>, <c>latency</c>).</summary>
public sealed record CallFaultRequest(string? Dependency, string? Kind, double? Share, double? LatencyMs, double? DurationSeconds)
{
    private static readonly string[] Dependencies = [.. Enum.GetValues<Resilience.Dependency>().Select(dependency => dependency.PipelineName())];
    private static readonly string[] Kinds = ["error", "latency"];

    public Resilience.Dependency DependencyValue => Enum.GetValues<Resilience.Dependency>().Single(dependency => dependency.PipelineName() == Dependency);

    public CallFaultKind KindValue => Kind == "latency" ? CallFaultKind.Latency : CallFaultKind.Error;

    public IEnumerable<string> Validate()
    {
        if (!Dependencies.Contains(Dependency))
        {
            yield return $"dependency is {Quoted(Dependency)}; allowed: {string.Join(", ", Dependencies)}.";
        }

        if (!Kinds.Contains(Kind))
        {
            yield return $"kind is {Quoted(Kind)}; allowed: {string.Join(", ", Kinds)}.";
        }

        if (Share is not (> 0 and <= 1))
        {
            yield return $"share is {Number(Share)}; allowed: above 0 up to 1 (the share of calls to hit).";
        }

        if (Kind == "latency" && LatencyMs is not (>= 1 and <= 60_000))
        {
            yield return $"latencyMs is {Number(LatencyMs)}; allowed for latency: 1 to 60000.";
        }

        if (Kind == "error" && LatencyMs is not null)
        {
            yield return "latencyMs is set; allowed only with kind latency.";
        }

        if (DurationSeconds is not { } seconds || !(seconds > 0) || seconds > CallChaos.MaxDuration.TotalSeconds)
        {
            yield return $"durationSeconds is {Number(DurationSeconds)}; allowed: above 0 up to {CallChaos.MaxDuration.TotalSeconds:0}.";
        }
    }

    private static string Quoted(string? text) => text is null ? "missing" : $"'{text}'";

    private static string Number(double? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing";
}
