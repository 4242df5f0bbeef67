using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Lab;

/// <summary>
/// A second <c>dotnet run</c> while a lab is up would die binding the dashboard's fixed ports, with a stack trace. This
/// looks first: when a port this start needs is taken, it names the lab that holds it (or says another program does)
/// and how to stop it, and nothing is started.
/// </summary>
public static class SingleLabCheck
{
    /// <summary>The launch profile's fixed addresses: the dashboard, its OTLP endpoint and the resource service.</summary>
    private static readonly string[] AddressSettings =
        ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"];

    /// <returns>
    /// Null when every fixed port is free, or when the dashboard is off (Aspire.Hosting.Testing, a lab in a test): the
    /// dashboard is what binds those addresses, so nothing of this start can collide on them. Else the refusal to print.
    /// </returns>
    public static string? Refusal(IDistributedApplicationBuilder builder) =>
        DashboardDisabled(builder) ? null : Refusal(builder.Configuration);

    private static bool DashboardDisabled(IDistributedApplicationBuilder builder) =>
        builder.Services.Select(service => service.ImplementationInstance).OfType<DistributedApplicationOptions>()
            .Any(options => options.DisableDashboard);

    private static string? Refusal(IConfiguration configuration)
    {
        var taken = AddressSettings
            .SelectMany(setting => (configuration[setting] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(address => (Setting: setting, Address: address)))
            .Where(entry => Uri.TryCreate(entry.Address, UriKind.Absolute, out var uri) && uri.Port > 0 && IsTaken(uri.Port))
            .ToList();
        if (taken.Count == 0)
        {
            return null;
        }

        var ports = string.Join(", ", taken.Select(entry => $"{entry.Address} ({entry.Setting})"));
        var labs = LabSessionFile.FindRunning();
        return labs.Count > 0
            ? $"A VokeTag lab is already running ({string.Join("; ", labs.Select(lab => lab.Describe()))}), holding {ports}. Nothing was started.\n" +
              $"Stop it first: Ctrl-C in its terminal, or `kill {labs[0].Pid}` (SIGTERM: it stops its run, rolls back its faults and stops " +
              "every resource). Or use its dashboard, which is already up."
            : $"{ports} {(taken.Count == 1 ? "is" : "are")} in use by another program (no running VokeTag lab of yours was found). " +
              "Nothing was started. Free the port, or start the lab with other addresses, e.g. ASPNETCORE_URLS=http://localhost:15090.";
    }

    /// <summary>True when a listener holds the port on 127.0.0.1 (one in TIME_WAIT after a lab stopped is free).</summary>
    public static bool IsTaken(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel binds: with SO_REUSEADDR.
        probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
