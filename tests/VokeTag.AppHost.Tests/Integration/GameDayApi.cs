using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// The worker's game-day API as the tests use it, whether they act through it or through the dashboard's prompts:
/// the current game day, an action on it, and waits on its state.
/// </summary>
public static class GameDayApi
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    /// <summary>The worker's view of the game day, or null before one started.</summary>
    public static async Task<JsonElement?> CurrentGameDayAsync(HttpClient worker, CancellationToken cancellationToken = default)
    {
        using var response = await worker.GetAsync("/gamedays/current", cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>A blue-team or observer action on the current game day, as the dashboard's prompts send it.</summary>
    public static async Task<JsonElement> ActAsync(HttpClient worker, string action, object body)
    {
        using var response = await worker.PostAsJsonAsync($"/gamedays/current/{action}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<JsonElement> UntilRoundAsync(HttpClient worker, int index, string status) =>
        UntilGameDayAsync(worker, view => view.GetProperty("rounds").GetArrayLength() > index
            && view.GetProperty("rounds")[index].GetProperty("status").GetString() == status);

    /// <summary>Until the game day's view meets <paramref name="condition"/>; none yet counts as not yet (a dashboard's command may be on its way).</summary>
    public static async Task<JsonElement> UntilGameDayAsync(HttpClient worker, Func<JsonElement, bool> condition)
    {
        using var deadline = new CancellationTokenSource(Limit);
        while (true)
        {
            if (await CurrentGameDayAsync(worker, deadline.Token) is { } view)
            {
                if (condition(view))
                {
                    return view;
                }

                Assert.NotEqual("stopped", view.GetProperty("status").GetString());
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token); // poll interval of rounds that last tens of seconds
        }
    }

    /// <summary>The game day's timeline entries of one kind (declare, diagnose, mitigate, note, ...).</summary>
    public static IEnumerable<JsonElement> Entries(JsonElement view, string kind) =>
        view.GetProperty("timeline").EnumerateArray().Where(entry => entry.GetProperty("kind").GetString() == kind);
}
