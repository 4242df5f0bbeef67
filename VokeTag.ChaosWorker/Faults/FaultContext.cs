using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>What an experiment needs to create its faults for one run.</summary>
public sealed record FaultContext(LabControlClient Lab, ApiChaosHooks Hooks, RunOptions Options, TimeProvider Time);
