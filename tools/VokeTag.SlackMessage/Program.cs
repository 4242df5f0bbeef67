using VokeTag.SlackMessage;

// The Slack message of a chaos run, from its runs/*/junit.xml: dotnet run --project tools/VokeTag.SlackMessage -- runs.
// The weekly workflow (.github/workflows/chaos.yml) posts it to SLACK_WEBHOOK_URL when a run fails. See README.md.
return SlackMessageCommand.Run(args, Console.Out, Console.Error);
