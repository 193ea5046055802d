using System.Text.RegularExpressions;
using GraphDL.Backends.Cpu.Blas;
using GraphDL.Backends.Cuda;
using GraphDL.Backends.Cuda.Emulation;
using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>Tour started as a program: its help, its mistakes, and the two questions it answers without running a lesson.</summary>
public class TourCommandLineTests
{
    private static (int ExitCode, string Output, string Error) Tour(params string[] args) =>
        BuiltProgram.Run("Lessons/Tour", "GraphDL.Lessons.Tour", args);

    [Test]
    public void HelpGoesToStandardOutputWithExitCodeZero()
    {
        var (code, output, error) = Tour("--help");
        Assert.That(code, Is.Zero, error);
        foreach (string option in (string[])["--only <A,B>", "--out <DIR>", "--data <DIR>", "--device <cpu|gpu|emulated>", "--list", "--info"])
            Assert.That(output, Does.Contain(option));
        Assert.That(error, Is.Empty);
    }

    [Test]
    public void AnUnknownOptionIsNamedOnStandardErrorWithoutAStackTrace()
    {
        var (code, output, error) = Tour("--lsit");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("Tour: ").And.Contain("'--lsit'"));
        Assert.That(error, Does.Not.Contain("   at "));
        Assert.That(output, Is.Empty, "no lesson ran");
    }

    [TestCase("--only", "Iris,Nope", "Tour: --only: no lesson named Nope.")]
    [TestCase("--device", "tpu", "Tour: --device tpu: Unknown device 'tpu'; known: cpu, gpu, emulated.")]
    public void ABadValueIsToldBeforeAnyLessonRuns(string option, string value, string message)
    {
        var (code, output, error) = Tour(option, value);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith(message));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void ARunLeavesTheBoardsIndexBesideTheLessons()
    {
        string outRoot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "out", "tour-board");
        if (Directory.Exists(outRoot)) Directory.Delete(outRoot, recursive: true);
        var (code, output, error) = Tour("--only", "CnnBasics,CharRnnHello", "--out", outRoot);
        Assert.That(code, Is.Zero, error);
        string index = Path.Combine(outRoot, "index.html");
        Assert.That(output, Does.Contain($"Open {new Uri(index).AbsoluteUri}"));
        Assert.That(File.Exists(index), Is.True);
        // The pages read their data from a script beside them, so they open from file:// with no server.
        string data = File.ReadAllText(Path.Combine(outRoot, "board-data", "index.js"));
        Assert.That(data, Does.Contain("\"CnnBasics\"").And.Contain("\"CharRnnHello\""));
        Assert.That(File.Exists(Path.Combine(outRoot, "CnnBasics", "result.json")), Is.True);
    }

    [Test]
    public void ListPrintsEveryLessonOfTheCatalogueInOrder()
    {
        var (code, output, error) = Tour("--list");
        Assert.That(code, Is.Zero, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.That(lines[0], Does.Match(@"^Part\s+Position\s+Lesson\s+--data\s+Title$"));
        Assert.That(lines.Skip(1).Select(Row), Is.EqualTo(LessonRunner.All.Select(l => (l.Part, l.Position, l.Name, l.UsesData, l.Title))));
    }

    [Test]
    public void ListWithOnlyPrintsThoseLessons()
    {
        var (code, output, error) = Tour("--list", "--only", "mnistcnn,Iris");
        Assert.That(code, Is.Zero, error);
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => Row(l.TrimEnd('\r')).Name);
        Assert.That(names, Is.EqualTo(new[] { "Iris", "MnistCnn" }), "in the order of the lecture, by their own names");
    }

    [Test]
    public void InfoTellsTheBlasTheGpuAndTheEmulatorThisProcessFinds()
    {
        var (code, output, error) = Tour("--info");
        Assert.That(code, Is.Zero, error);
        var facts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Regex.Match(l.TrimEnd('\r'), @"^(\S.*?)\s{2,}(\S.*)$"))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.That(facts.Keys, Is.SupersetOf(new[] { ".NET", "OS", "CPU", "BLAS in use", "BLAS tried", "GPU", "NVRTC", "Kernel emulator", "Kernel cache", "Data cache", "MNIST" }), output);

        Assert.That(facts["BLAS in use"], Is.EqualTo(BlasProvider.Description));
        Assert.That(facts["GPU"], Is.EqualTo(CudaBackend.Gpu is null ? $"none: {CudaBackend.GpuUnavailableReason}" : facts["GPU"]));
        string emulator;
        try
        {
            emulator = ((EmulatedDevice)CudaBackend.Emulated.Device).LibraryPath;
        }
        catch (InvalidOperationException e)
        {
            emulator = $"not available: {e.Message}";
        }
        Assert.That(facts["Kernel emulator"], Does.StartWith(emulator));
        Assert.That(facts["CPU"], Does.EndWith($", {Environment.ProcessorCount} logical cores"));
    }

    private static (int Part, int Position, string Name, bool UsesData, string Title) Row(string line)
    {
        var cells = Regex.Match(line, @"^(\d+)\s+(\d+)\s+(\S+)\s+(yes|no)\s+(.+)$");
        Assert.That(cells.Success, $"not a lesson row: '{line}'");
        return (int.Parse(cells.Groups[1].Value), int.Parse(cells.Groups[2].Value), cells.Groups[3].Value, cells.Groups[4].Value == "yes", cells.Groups[5].Value);
    }
}
