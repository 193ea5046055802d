using System.Diagnostics;
using GraphDL.Data;
using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// A training run (Tests/ResumeProbe: dropout, Adam, shuffled batches, a checkpoint as it goes) is ended with SIGKILL at
/// a random step, or in the middle of writing a checkpoint, then started again; resuming from its latest checkpoint it
/// must end with the variables of a run that was never interrupted, to the bit.
/// </summary>
public class ResumeTests
{
    // Steps and checkpoint interval of the TF1 run; epochs of the Keras run (45 rows in batches of 6: 8 steps an epoch).
    private const int Tf1Steps = 24, Tf1Every = 4, KerasEpochs = 4, KerasStepsPerEpoch = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-resume-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    [TestCase("cpu")]
    [TestCase("emulated")]
    public void ResumeTf1AfterSigkillIsBitExact(string device)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        int killAt = RandomStep(Tf1Steps);
        string uninterrupted = Uninterrupted("tf1", device, Tf1Steps, Tf1Every);
        string run = Folder("run"), output = Path.Combine(_dir, "resumed.npz");
        KillAfter(Probe("tf1", device, run, Tf1Steps, Tf1Every, output, "--lockstep"), $"step {killAt}");
        // A step's checkpoint is written before the step's line, so the kill comes after it.
        Assert.That(Resume("tf1", device, run, Tf1Steps, Tf1Every, output), Is.EqualTo(killAt / Tf1Every * Tf1Every), "the resumed run starts at the latest checkpoint");
        AssertSameBits(uninterrupted, output);
    }

    [TestCase("cpu")]
    [TestCase("emulated")]
    public void ResumeTf1AfterSigkillDuringCheckpointWriteIsBitExact(string device)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        const int paused = 3 * Tf1Every;
        string uninterrupted = Uninterrupted("tf1", device, Tf1Steps, Tf1Every);
        string run = Folder("run"), output = Path.Combine(_dir, "resumed.npz");
        KillAfter(Probe("tf1", device, run, Tf1Steps, Tf1Every, output, "--pause", $"{paused}"), "paused writing");
        Assert.That(Directory.GetFiles(run, $".model-{paused}.npz.*.tmp"), Has.Length.EqualTo(1), "the kill left the half-written checkpoint");
        Assert.That(Resume("tf1", device, run, Tf1Steps, Tf1Every, output), Is.EqualTo(paused - Tf1Every), "the half-written checkpoint is passed over");
        AssertSameBits(uninterrupted, output);
    }

    [TestCase("cpu")]
    [TestCase("emulated")]
    public void ResumeKerasAfterSigkillIsBitExact(string device)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        int killAt = RandomStep(KerasEpochs * KerasStepsPerEpoch);
        string uninterrupted = Uninterrupted("keras", device, KerasEpochs, 0);
        string run = Folder("run"), output = Path.Combine(_dir, "resumed.npz");
        KillAfter(Probe("keras", device, run, KerasEpochs, 0, output, "--lockstep"), $"step {killAt}");
        // An epoch's model file is written after its last step's line, so a kill there comes before it.
        Assert.That(Resume("keras", device, run, KerasEpochs, 0, output), Is.EqualTo((killAt - 1) / KerasStepsPerEpoch), "the resumed Fit starts after the latest saved epoch");
        AssertSameBits(uninterrupted, output);
    }

    [TestCase("cpu")]
    [TestCase("emulated")]
    public void ResumeKerasAfterSigkillDuringCheckpointWriteIsBitExact(string device)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        const int paused = 3;
        string uninterrupted = Uninterrupted("keras", device, KerasEpochs, 0);
        string run = Folder("run"), output = Path.Combine(_dir, "resumed.npz");
        KillAfter(Probe("keras", device, run, KerasEpochs, 0, output, "--pause", $"{paused}"), "paused writing");
        Assert.That(Directory.GetFiles(run, $".model-{paused}.keras.*.tmp"), Has.Length.EqualTo(1), "the kill left the half-written model file");
        Assert.That(Resume("keras", device, run, KerasEpochs, 0, output), Is.EqualTo(paused - 1), "the half-written model file is passed over");
        AssertSameBits(uninterrupted, output);
    }

    /// <summary>A step in [2, steps − 1], chosen anew each run and printed, so that a failure names the step to try again.</summary>
    private static int RandomStep(int steps)
    {
        int step = TestContext.CurrentContext.Random.Next(2, steps);
        TestContext.Out.WriteLine($"killed after step {step}");
        return step;
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;

    private string Uninterrupted(string mode, string device, int steps, int every)
    {
        string output = Path.Combine(_dir, "uninterrupted.npz");
        Assert.That(Resume(mode, device, Folder("uninterrupted"), steps, every, output), Is.Zero);
        return output;
    }

    /// <summary>Runs the probe to its end and returns the step (TF1) or epoch (Keras) it resumed from.</summary>
    private static int Resume(string mode, string device, string directory, int steps, int every, string output)
    {
        var (exitCode, stdout, stderr) = ChildProcess.Run("dotnet", [ProbePath, .. Arguments(mode, device, directory, steps, every, output)], Timeout);
        Assert.That(exitCode, Is.Zero, stderr);
        string first = stdout.Split('\n')[0];
        Assert.That(first, Does.StartWith("resumed from "), stdout);
        return int.Parse(first["resumed from ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Starts the probe with <paramref name="options"/> (--pause N, --lockstep) and leaves it running.</summary>
    private static Process Probe(string mode, string device, string directory, int steps, int every, string output, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ProbePath);
        foreach (string arg in Arguments(mode, device, directory, steps, every, output).Concat(options)) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Reads the child's lines until one starts with <paramref name="line"/>, then ends it with SIGKILL. A child in lockstep
    /// waits after each step for a line on its input; it gets one for every step but the last it is to make.
    /// </summary>
    private static void KillAfter(Process process, string line)
    {
        using (process)
        {
            var read = Task.Run(() =>
            {
                for (string? next; (next = process.StandardOutput.ReadLine()) is not null;)
                {
                    if (next.StartsWith(line, StringComparison.Ordinal)) return true;
                    if (next.StartsWith("step ", StringComparison.Ordinal)) process.StandardInput.WriteLine();
                }
                return false;
            });
            bool seen = read.Wait(Timeout) && read.Result;
            process.Kill(entireProcessTree: true);   // SIGKILL on Unix: no handler, no finally block, no flush runs
            process.WaitForExit();
            Assert.That(seen, $"the child never printed '{line}'");
            Assert.That(process.ExitCode, Is.Not.Zero, "the child was killed, not finished");
        }
    }

    private static string[] Arguments(string mode, string device, string directory, int steps, int every, string output) =>
        [mode, device, directory, steps.ToString(System.Globalization.CultureInfo.InvariantCulture), every.ToString(System.Globalization.CultureInfo.InvariantCulture), output];

    private static string ProbePath
    {
        get
        {
            string probe = Path.Combine(AppContext.BaseDirectory, "GraphDL.ResumeProbe.dll");
            Assert.That(File.Exists(probe), $"{probe} was not built beside the tests");
            return probe;
        }
    }

    /// <summary>Every variable of both files, the same dtype, shape and bytes.</summary>
    private static void AssertSameBits(string expectedFile, string actualFile)
    {
        var expected = Npz.Load(expectedFile);
        var actual = Npz.Load(actualFile);
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        Assert.That(expected.Keys, Has.Some.Contains("Adam"), "the optimizer's slots are compared too");
        foreach (var (name, value) in expected)
        {
            var other = actual[name];
            Assert.That((other.DType, other.Shape), Is.EqualTo((value.DType, value.Shape)), name);
            Assert.That(Bytes(other), Is.EqualTo(Bytes(value)), $"'{name}' differs from the uninterrupted run's");
        }
    }

    private static byte[] Bytes(Tensor t)
    {
        using var stream = new MemoryStream();
        Npy.Write(stream, t);
        return stream.ToArray();
    }
}
