using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary>The benchmark's command line, with the benchmark started as the program it is: help, mistakes and their exit codes.</summary>
public class BenchCommandLineTests
{
    private static (int ExitCode, string Output, string Error) Bench(params string[] args) =>
        BuiltProgram.Run("Bench", "GraphDL.Bench", args);

    [Test]
    public void HelpGoesToStandardOutputWithExitCodeZero()
    {
        var (code, output, error) = Bench("--help");
        Assert.That(code, Is.Zero, error);
        foreach (string option in (string[])["--json", "--compare", "--only <a,b>", "--runs <N>", "--data <DIR>", "--python <PATH>", "--gpu ", "--gpu-check", "--device <gpu|emulated>", "--small", "--steps <N>", "--sweep ", "--sweep-small", "--out <DIR>"])
            Assert.That(output, Does.Contain(option));
        Assert.That(output, Does.Not.Contain("--workload"), "the MLP children's option is not for people");
        Assert.That(error, Is.Empty);
    }

    [Test]
    public void AnUnknownOptionIsNamedOnStandardErrorWithoutAStackTrace()
    {
        var (code, output, error) = Bench("--jsno");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("Bench: ").And.Contain("'--jsno'"));
        Assert.That(error, Does.Not.Contain("   at "));
        Assert.That(output, Is.Empty, "nothing was measured");
    }

    [TestCase("--runs", "0", "Bench: --runs takes a whole number of at least 1, not '0'.")]
    [TestCase("--only", "nope", "Bench: Unknown figure(s) nope;")]
    [TestCase("--small", null, "Bench: --small applies to --gpu only.")]
    [TestCase("--sweep-small", null, "Bench: --sweep-small applies to --sweep only.")]
    public void AMistakeIsToldBeforeAnythingIsMeasured(string option, string? value, string message)
    {
        var (code, output, error) = Bench(value is null ? [option] : [option, value]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith(message));
        Assert.That(output, Is.Empty);
    }

    [TestCase("--sweep measures the CPU backend; it does not go with --gpu or --gpu-check.", "--gpu", null)]
    [TestCase("--sweep runs its own grid; --only picks figures of the benchmark, not points of the sweep.", "--only", "iris_step_us")]
    public void TheSweepRefusesOptionsThatDoNotApplyToIt(string message, string option, string? value)
    {
        var (code, output, error) = Bench(value is null ? ["--sweep", option] : ["--sweep", option, value]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith($"Bench: {message}"));
        Assert.That(output, Is.Empty);
    }

    [TestCase("--conv-ab", "--conv-shallow-ab")]
    [TestCase("--overwrite-ab", "--mlp-ab")]
    public void TwoComparisonsInTurnsAreTwoRuns(string one, string another)
    {
        var (code, output, error) = Bench(one, "1", another, "1");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("Bench: --lstm-fused-ab, --gru-fused-ab, --conv-ab, --conv-shallow-ab, --overwrite-ab and --mlp-ab are separate runs; pass one of them."));
        Assert.That(output, Is.Empty);
    }
}
