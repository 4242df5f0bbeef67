using VokeTag.Bench.Stability;

namespace VokeTag.Bench.Tests;

public class StabilityOptionsTests
{
    [Fact]
    public void Defaults_run_every_built_in_experiment_ten_times_against_both_apis_in_process_mode()
    {
        var options = StabilityOptions.Parse([]);

        Assert.Equal(10, options.Runs);
        Assert.Equal(["process"], options.Modes);
        Assert.Equal([LabVariant.Reference, LabVariant.Weakened], options.Variants);
        Assert.Equal(StabilityOptions.BuiltInExperiments, options.Experiments);
    }

    [Fact]
    public void The_headless_run_interleaves_the_experiments_n_times_with_the_chosen_phases()
    {
        var options = StabilityOptions.Parse(["--runs", "2", "--experiments", "redis-failure,pod-failure", "--impact", "8.5"]);

        Assert.Equal(
            ["Chaos:Run=redis-failure,pod-failure,redis-failure,pod-failure", "Chaos:BaselineSeconds=3", "Chaos:ImpactSeconds=8.5",
             "Chaos:RecoverySeconds=12", "Chaos:SustainSeconds=2"],
            options.HeadlessSettings());
    }

    [Theory]
    [InlineData("--runs", "0", "--runs is '0'; allowed: a whole number from 1 to 100")]
    [InlineData("--runs", "2.5", "--runs is '2.5'")]
    [InlineData("--modes", "process,vm", "--modes: 'vm' is not one of process, container")]
    [InlineData("--variants", "broken", "--variants: 'broken' is not one of reference, weakened")]
    [InlineData("--impact", "NaN", "--impact is 'NaN'")]
    [InlineData("--sustain", "20", "--sustain (20 s) must not be longer than --recovery (12 s)")]
    [InlineData("--speed", "1", "'--speed' is not an option")]
    public void Bad_options_are_refused_naming_what_is_wrong(string name, string value, string message)
    {
        var problem = Assert.Throws<BenchUsageException>(() => StabilityOptions.Parse([name, value]));

        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void An_option_without_its_value_is_refused()
    {
        Assert.Contains("--runs needs a value", Assert.Throws<BenchUsageException>(() => StabilityOptions.Parse(["--runs"])).Message);
    }
}
