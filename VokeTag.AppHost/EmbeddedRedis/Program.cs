using Garnet;

// Usage: VokeTag.EmbeddedRedis --port <port> [--password <password>]
// Serves Redis protocol on 127.0.0.1 only, in memory only, until SIGTERM/Ctrl-C.
var port = ArgumentValue("--port") ?? "6379";
var password = ArgumentValue("--password");

var garnetArgs = new List<string>
{
    "--bind", "127.0.0.1",
    "--port", port,
    "--memory", "256m",   // the lab caches a few thousand small tags
    "--index", "16m",
};
if (!string.IsNullOrEmpty(password))
{
    garnetArgs.AddRange(["--auth", "Password", "--password", password]);
}

using var server = new GarnetServer([.. garnetArgs]);
server.Start();
Console.WriteLine($"Embedded Redis (Garnet) listening on 127.0.0.1:{port}");

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
}

return 0;

string? ArgumentValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
