using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.FaultProxy;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// The chaos worker's way into Aspire's <see cref="ResourceCommandService"/>: a small HTTP API inside the AppHost,
/// on 127.0.0.1 and a port chosen at start, that only answers requests bearing the secret generated for this lab
/// start. We chose this over the Aspire CLI backchannel because it needs no extra tool on the machine, works the
/// same under Aspire.Hosting.Testing, and lets the AppHost decide what may be touched (the lab's own resources).
/// </summary>
/// <param name="secret">Generated for this start (see <c>LabControlExtensions</c>); only the worker and the API get it.</param>
public sealed class LabControlServer(IServiceProvider services, ILogger<LabControlServer> logger, string secret) : IAsyncDisposable
{
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    /// <summary>A new secret for every lab start.</summary>
    public string Secret { get; } = secret;

    /// <summary>Where the API listens, once it does.</summary>
    public Task<Uri> AddressAsync(CancellationToken cancellationToken) => _address.Task.WaitAsync(cancellationToken);

    /// <summary>Started before any resource (the worker's environment needs the address); stopped with the AppHost.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(services.GetRequiredService<ResourceCommandService>());
        builder.Services.AddSingleton(services.GetRequiredService<ResourceStates>());
        builder.Services.AddSingleton(services.GetRequiredService<DistributedApplicationModel>());
        builder.Services.AddSingleton(services.GetService<FaultProxies>() ?? new FaultProxies());
        builder.Services.AddSingleton(services.GetRequiredService<FaultLeases>());
        builder.Services.AddSingleton(services.GetRequiredService<Redeploys>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ResourceUsage>();
        if (services.GetService<Supervision.CrashSupervisor>() is { } supervisor)
        {
            builder.Services.AddSingleton(supervisor);
        }

        if (services.GetService<RedeploySources>() is { } sources)
        {
            builder.Services.AddSingleton(sources);
        }

        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)));
        // Bodies the endpoints cannot read become problem details naming the field, like every other 4xx here.
        builder.Services.AddProblemDetails();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        _app = builder.Build();
        _app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => UnreadableRequest(context).ExecuteAsync(context),
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException, // answered, not an error
        });
        _app.UseStatusCodePages();
        _app.RequireLabSecret(Secret);
        _app.MapLabControlEndpoints();
        _app.MapFaultProxyEndpoints();
        _app.MapLeaseEndpoints();
        _app.MapRedeployEndpoints();
        if (services.GetService<EmergencyStop>() is { } emergencyStop)
        {
            _app.MapPost("/emergency-stop", (CancellationToken cancellationToken) => emergencyStop.StopAsync(cancellationToken));
        }
        await _app.StartAsync(cancellationToken);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        logger.LogInformation("Lab control listening on {Address} (loopback only, secret required)", address);
        _address.TrySetResult(new Uri(address));
        var dashboard = services.GetRequiredService<IConfiguration>()["ASPNETCORE_URLS"]?.Split(';')[0];
        LabSessionFile.Write(new LabSession(LabInstance.Pid, LabInstance.StartedAt, LabInstance.SessionId, new Uri(address), Secret, dashboard));
        // Removed however the lab stops cleanly (Ctrl-C, SIGTERM, the end of a headless run), not only on disposal.
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => LabSessionFile.Delete(LabInstance.Pid));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LabSessionFile.Delete(LabInstance.Pid); // also when stopped while starting
    }

    private static IResult UnreadableRequest(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException unreadable
            ? Results.Problem(statusCode: unreadable.StatusCode, title: "Malformed request",
                detail: unreadable.InnerException is System.Text.Json.JsonException json
                    ? $"The body is not valid JSON for this endpoint: {json.Message}"
                    : unreadable.Message)
            : Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected error");

    public async ValueTask DisposeAsync()
    {
        LabSessionFile.Delete(LabInstance.Pid);
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
