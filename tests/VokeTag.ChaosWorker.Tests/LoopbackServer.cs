using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace VokeTag.ChaosWorker.Tests;

/// <summary>A Kestrel on 127.0.0.1 at a free port: the stand-in API or Kubernetes API of a unit test.</summary>
internal static class LoopbackServer
{
    /// <param name="routes">Adds the server's middleware and endpoints.</param>
    /// <param name="services">Adds services the routes need.</param>
    public static async Task<(WebApplication Server, Uri Address)> StartAsync(Action<WebApplication> routes, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        services?.Invoke(builder.Services);
        var server = builder.Build();
        routes(server);
        await server.StartAsync();
        return (server, new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()));
    }
}
