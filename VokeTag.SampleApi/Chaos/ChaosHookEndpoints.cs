using System.Net;
using System.Security.Cryptography;
using System.Text;
using VokeTag.SampleApi.Diagnostics;

namespace VokeTag.SampleApi.Chaos;

/// <summary>
/// <c>PUT /chaos/cpu</c> (body <c>{"share":0.5,"durationSeconds":30}</c>), <c>GET /chaos/cpu</c> and
/// <c>DELETE /chaos/cpu</c>: CPU pressure inside this replica, for the chaos worker. Mapped only when the lab gave
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

        return app;
    }

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
