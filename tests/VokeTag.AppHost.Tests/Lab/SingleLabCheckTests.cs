using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Tests.Lab;

public class SingleLabCheckTests
{
    [Fact]
    public void A_taken_dashboard_port_refuses_the_start_naming_the_address()
    {
        using var taken = Listener();
        var address = $"http://localhost:{taken.Port()}";

        var refusal = SingleLabCheck.Refusal(Builder(address, disableDashboard: false));

        Assert.NotNull(refusal);
        Assert.Contains($"{address} (ASPNETCORE_URLS)", refusal);
        Assert.Contains("Nothing was started", refusal);
    }

    [Fact]
    public void Without_the_dashboard_its_ports_do_not_matter()
    {
        // Aspire.Hosting.Testing turns the dashboard off and defaults ASPNETCORE_URLS to http://localhost:8080, which
        // nothing in the lab then binds: a machine with something else on that port must still run the tests' labs.
        using var taken = Listener();

        Assert.Null(SingleLabCheck.Refusal(Builder($"http://localhost:{taken.Port()}", disableDashboard: true)));
    }

    [Fact]
    public void Free_ports_start_the_lab()
    {
        int port;
        using (var probe = Listener())
        {
            port = probe.Port();
        }

        Assert.Null(SingleLabCheck.Refusal(Builder($"http://localhost:{port}", disableDashboard: false)));
    }

    private static IDistributedApplicationBuilder Builder(string dashboardAddress, bool disableDashboard) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            DisableDashboard = disableDashboard,
            // Unsecured, so that building the dashboard's settings writes no keys into user secrets.
            Args = [$"ASPNETCORE_URLS={dashboardAddress}", "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true"],
        });

    private static Socket Listener()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }
}

file static class SocketPort
{
    public static int Port(this Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
