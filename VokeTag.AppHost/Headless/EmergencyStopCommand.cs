using System.Net.Http.Json;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// <c>dotnet run --project VokeTag.AppHost -- Chaos:EmergencyStop=true</c>, from another terminal: finds the running
/// labs of this user and asks each to stop its run and undo every fault now. Exit 0 when a lab confirmed, 1 when
/// none runs or none answered.
/// </summary>
public static class EmergencyStopCommand
{
    public const string Setting = "Chaos:EmergencyStop";

    public static async Task<int> RunAsync()
    {
        var sessions = LabSessionFile.FindRunning();
        if (sessions.Count == 0)
        {
            Console.Error.WriteLine($"chaos: no running lab found (no session under {LabSessionFile.Directory}); nothing to stop.");
            return 1;
        }

        var confirmed = 0;
        foreach (var session in sessions)
        {
            try
            {
                using var client = new HttpClient { BaseAddress = session.ControlUrl, Timeout = TimeSpan.FromSeconds(30) };
                client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, session.Secret);
                using var response = await client.PostAsync("/emergency-stop", null);
                response.EnsureSuccessStatusCode();
                var result = (await response.Content.ReadFromJsonAsync<EmergencyStopResult>())!;
                Console.WriteLine($"chaos: emergency stop of the lab (AppHost pid {session.Pid}): {result.Worker}; " +
                    $"undone by the lab: {(result.Undone.Count == 0 ? "nothing left" : string.Join(", ", result.Undone))}.");
                confirmed++;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"chaos: the lab (AppHost pid {session.Pid}) did not answer: {exception.Message}");
            }
        }

        return confirmed > 0 ? 0 : 1;
    }
}
