using System.Text.Json;
using GraphDL.Backends.Cuda;
using GraphDL.GpuCheck;
using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary>
/// The benchmark's GPU modes as the GPU machine will run them, here on the host emulation: the benchmark is built
/// once and started as a process, as the published binary is (<see cref="BenchProgram"/>), and its output is read back.
/// </summary>
[NonParallelizable]
public class GpuBenchTests
{
    private static readonly string[] GpuFigures = ["gpu_sgemm_gflops_n4096", "gpu_conv_fwd_ms", "gpu_mlp_epoch_s"];

    [RequiresKernelEmulator]
    [Test]
    public void ASmallEmulatedRunPrintsEveryGpuFigureAsJson()
    {
        var (exitCode, output, error) = Bench("--gpu", "--device", "emulated", "--small", "--json");
        Assert.That(exitCode, Is.Zero, error);

        var values = new Dictionary<string, JsonElement>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // With --json, standard output is JSON lines and nothing else.
            using var doc = JsonDocument.Parse(line);
            values[doc.RootElement.GetProperty("name").GetString()!] = doc.RootElement.GetProperty("value").Clone();
        }
        foreach (string figure in GpuFigures)
        {
            Assert.That(values.ContainsKey(figure), $"{figure} is missing from:\n{output}\n{error}");
            Assert.That(values[figure].ValueKind, Is.EqualTo(JsonValueKind.Number), figure);
            Assert.That(values[figure].GetDouble(), Is.GreaterThan(0), figure);
        }
        Assert.That(values["gpu_device"].GetString(), Does.Contain("host emulation"));
        Assert.That(values["gpu_sizes"].GetString(), Does.StartWith("small"), "a small run says it is no measurement");
        Assert.That(values["gpu_mlp_nodes_on_cpu"].GetString(), Is.EqualTo("0"), "every node of the MLP's training step has a kernel");
    }

    [RequiresKernelEmulator]
    [Test]
    public void TheGpuCheckPrintsOneLinePerCaseAndCountsThem()
    {
        var (exitCode, output, error) = Bench("--gpu-check", "--device", "emulated", "--steps", "0");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int passes = lines.Count(l => l.StartsWith("pass  ", StringComparison.Ordinal));
        int failures = lines.Count(l => l.StartsWith("FAIL  ", StringComparison.Ordinal));

        Assert.That(passes + failures, Is.EqualTo(ParityCases.All.Count()), output);
        Assert.That(lines, Does.Contain("MNIST check skipped (--steps 0)"));
        Assert.That(lines[^1], Is.EqualTo($"{passes} passed, {failures} failed"));
        Assert.That(exitCode, Is.EqualTo(failures == 0 ? 0 : 1), error);
    }

    [Test]
    public void WithoutAGpuTheGpuModesSayWhy()
    {
        if (CudaBackend.Gpu is not null) Assert.Ignore("This machine has a GPU.");
        foreach (string mode in (string[])["--gpu", "--gpu-check"])
        {
            var (exitCode, output, error) = Bench(mode);
            Assert.That(exitCode, Is.EqualTo(2), mode);
            Assert.That(output, Is.Empty, mode);
            Assert.That(error, Does.Contain($"no GPU: {CudaBackend.GpuUnavailableReason}"), mode);
        }
    }

    [Test]
    public void GpuFiguresAreNotCpuFigures()
    {
        var (exitCode, _, error) = Bench("--only", "gpu_conv_fwd_ms");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("not a figure of the CPU benchmark"));
    }

    private static (int ExitCode, string Output, string Error) Bench(params string[] args) => BenchProgram.Run(null, args);
}
