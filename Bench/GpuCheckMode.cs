using System.Diagnostics;
using GraphDL.Data;
using GraphDL.GpuCheck;

namespace GraphDL.Bench;

/// <summary>
/// <c>Bench --gpu-check</c>: every kernel parity case of <see cref="ParityCases.All"/> against the CPU backend, one
/// line each, then the MNIST training run on both backends (<see cref="MnistCheck"/>). It is what the NUnit GPU
/// tests check, packed into the self-contained benchmark so that a GPU machine without .NET can run it.
/// </summary>
public static class GpuCheckMode
{
    /// <summary>How close the GPU's test accuracy must come to the CPU's after the MNIST run: 0.5%, 50 of 10,000 images.</summary>
    private const double AccuracyTolerance = 0.005;

    public static int Run(Options options)
    {
        var gpu = GpuBench.OpenBackend(options);
        if (gpu is null) return 2;
        Console.WriteLine($"Kernel parity on {gpu.Name}");
        if (GpuBench.DeviceNote(gpu) is { } device) Console.WriteLine($"  {device.Text}");
        if (!GpuBench.PrepareKernels(gpu, out var compiled)) return 1;
        if (compiled is not null) Console.WriteLine($"  kernels compiled {compiled.Text}");

        int passed = 0, failed = 0;
        void Count(string? mismatch)
        {
            if (mismatch is null) passed++;
            else failed++;
        }

        var clock = Stopwatch.StartNew();
        foreach (var parity in ParityCases.All)
        {
            // A case that throws (a missing kernel, a fault, a broken guard) fails with its message; the rest still run.
            string? mismatch;
            try
            {
                mismatch = parity.Mismatch(gpu);
            }
            catch (Exception e)
            {
                mismatch = $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
            }
            Count(mismatch);
            Console.WriteLine(mismatch is null ? $"pass  {parity}" : $"FAIL  {parity}  {mismatch}");
        }
        Console.WriteLine($"Parity cases: {passed} passed, {failed} failed in {clock.Elapsed.TotalSeconds:F1} s");

        if (options.Steps == 0)
            Console.WriteLine("MNIST check skipped (--steps 0)");
        else if (GpuBench.LoadMnist(options, "no MNIST check") is { } mnist)
        {
            Console.WriteLine($"MNIST single layer, {options.Steps} steps, test accuracy within {AccuracyTolerance:P1} of the CPU's:");
            string? mismatch;
            try
            {
                mismatch = MnistCheck.Mismatch(gpu, mnist, options.Steps, testRows: null, AccuracyTolerance,
                    report: o => Console.WriteLine($"  {o.Backend}: accuracy {o.Accuracy:P2}, final loss {o.FinalLoss:F4}, {o.Time.TotalSeconds:F1} s"));
            }
            catch (Exception e)
            {
                mismatch = $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
            }
            Count(mismatch);
            Console.WriteLine(mismatch is null ? "pass  MNIST" : $"FAIL  MNIST  {mismatch}");
        }
        else
            Console.WriteLine("MNIST check skipped (no MNIST)");

        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
