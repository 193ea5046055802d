using GraphDL.Backends.Cpu;
using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// A lesson's options as System.CommandLine parses them: the values it hands the lesson, the mistakes it refuses
/// with their messages, and, with the lesson started as a program, where help and mistakes are printed.
/// </summary>
public class LessonCommandLineTests
{
    private static LessonCommandLine Iris(bool usesData = false) => new("Iris", "the slide", slideSteps: 100_001, seed: 4, usesData);

    [Test]
    public void WithoutOptionsALessonRunsTheSlidesStepsOnTheCpu()
    {
        var options = Iris().Parse([]);
        Assert.That(options, Is.EqualTo(new LessonArguments(100_001, 4, "out", null, CpuBackend.Instance)));
    }

    [Test]
    public void EveryOptionReachesTheLesson()
    {
        var options = Iris(usesData: true).Parse(["--steps", "2,500", "--seed=0", "--out", "elsewhere", "--data", "mnist", "--device", "cpu"]);
        Assert.That(options, Is.EqualTo(new LessonArguments(2_500, 0, "elsewhere", "mnist", CpuBackend.Instance)));
    }

    [TestCase("--steps", "-3", "Iris: --steps expects a positive integer, got '-3'.")]
    [TestCase("--steps", "0", "Iris: --steps expects a positive integer, got '0'.")]
    [TestCase("--steps", "1e3", "Iris: --steps expects a positive integer, got '1e3'.")]
    [TestCase("--seed", "-1", "Iris: --seed expects a non-negative integer, got '-1'.")]
    [TestCase("--device", "tpu", "Iris: --device tpu: Unknown device 'tpu'; known: cpu, gpu, emulated.")]
    public void ABadValueIsAMistakeThatSaysWhy(string option, string value, string message)
    {
        var e = Assert.Throws<LessonUsageException>(() => Iris().Parse([option, value]));
        Assert.That(e!.ExitCode, Is.EqualTo(2));
        Assert.That(e.Message, Does.StartWith(message));
    }

    [Test]
    public void AnOptionWithoutItsValueIsAMistake()
    {
        var e = Assert.Throws<LessonUsageException>(() => Iris().Parse(["--steps"]));
        Assert.That(e!.ExitCode, Is.EqualTo(2));
        Assert.That(e.Message, Does.StartWith("Iris: ").And.Contain("'--steps'"));
    }

    [Test]
    public void HelpListsEveryOptionWithItsDefault()
    {
        var e = Assert.Throws<LessonUsageException>(() => Iris().Parse(["--help"]));
        Assert.That(e!.ExitCode, Is.Zero);
        Assert.That(e.Message, Does.Contain("Iris: the slide"));
        foreach (string option in (string[])["--steps <N>", "[default: 100001]", "--seed <N>", "[default: 4]", "--out <DIR>", "--device <cpu|gpu|emulated>"])
            Assert.That(e.Message, Does.Contain(option));
        Assert.That(e.Message, Does.Not.Contain("--data"), "this lesson reads no data set");
    }

    [Test]
    public void HelpGoesToStandardOutputWithExitCodeZero()
    {
        var (code, output, error) = BuiltProgram.Run("Lessons/Iris", "GraphDL.Lessons.Iris", "--help");
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("--steps <N>").And.Contain("--device <cpu|gpu|emulated>"));
        Assert.That(error, Is.Empty);
    }

    [Test]
    public void AnUnknownOptionIsNamedOnStandardErrorWithoutAStackTrace()
    {
        var (code, output, error) = BuiltProgram.Run("Lessons/Iris", "GraphDL.Lessons.Iris", "--stesp", "3");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("Iris: ").And.Contain("'--stesp'").And.Contain("--help"));
        Assert.That(error, Does.Not.Contain("   at "));
        Assert.That(output, Is.Empty, "nothing ran");
    }

    [Test]
    public void ABadValueEndsTheProgramWithTheMessage()
    {
        var (code, _, error) = BuiltProgram.Run("Lessons/Iris", "GraphDL.Lessons.Iris", "--steps", "-3");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("Iris: --steps expects a positive integer, got '-3'."));
        Assert.That(error, Does.Not.Contain("   at "));
    }
}
