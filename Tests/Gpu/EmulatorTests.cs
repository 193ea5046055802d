using System.Diagnostics;
using System.Runtime.InteropServices;
using GraphDL.Backends.Cuda;
using GraphDL.Backends.Cuda.Emulation;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// The host emulation itself: launch errors, the guard and poison checks of its memory, and CUDA's block
/// semantics (barriers, shared memory, coordinates), through the test kernels of Kernels/emu/test_kernels.cu.
/// </summary>
[RequiresKernelEmulator]
public class EmulatorTests
{
    private static CudaBackend Backend => CudaBackend.Emulated;

    private static EmulatedDevice Device => (EmulatedDevice)Backend.Device;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct EmuTestShape
    {
        public int Rank;
        public fixed int Dims[6];
    }

    private static DevicePtr Upload<T>(T[] values) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var pointer = Device.Allocate(bytes.Length);
        Device.CopyToDevice(pointer, bytes);
        return pointer;
    }

    private static T[] Download<T>(DevicePtr pointer, int count) where T : unmanaged
    {
        var values = new T[count];
        Device.CopyToHost(MemoryMarshal.AsBytes(values.AsSpan()), pointer);
        return values;
    }

    private static DevicePtr Fresh<T>(int count) where T : unmanaged => Device.Allocate((long)count * Marshal.SizeOf<T>());

    [Test]
    public void TheLibraryHoldsTheTestKernels() =>
        Assert.That(Device.Kernels, Is.SupersetOf(new[] { "emu_test_write_past_end", "emu_test_early_return_barrier", "emu_test_block_sum" }));

    [Test]
    public void AMissingLibraryIsNamedWithHowToBuildIt()
    {
        string missing = Path.Combine(Path.GetTempPath(), "graphdl-no-such-dir", EmulatedDevice.LibraryName);
        string? saved = Environment.GetEnvironmentVariable(EmulatedDevice.LibraryVariable);
        try
        {
            Environment.SetEnvironmentVariable(EmulatedDevice.LibraryVariable, missing);
            var error = Assert.Throws<InvalidOperationException>(() => EmulatedDevice.Open());
            Assert.That(error!.Message, Does.Contain(missing).And.Contains("g++ cmake").And.Contains("bash scripts/build-emu.sh"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(EmulatedDevice.LibraryVariable, saved);
        }
    }

    [Test]
    public void AnUnknownKernelIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Backend.Launch("emu_test_no_such_kernel", new Dim3(1), new Dim3(1), 0));
        Assert.That(error!.Message, Does.Contain("no kernel named 'emu_test_no_such_kernel'").And.Contains("build-emu.sh"));
    }

    [Test]
    public void AWrongArgumentCountIsReported()
    {
        var input = Fresh<float>(4);
        var error = Assert.Throws<InvalidOperationException>(() => Backend.Launch("emu_test_copy", new Dim3(1), new Dim3(4), input, input));
        Assert.That(error!.Message, Does.Contain("emu_test_copy").And.Contains("expects 3 arguments, 2 given"));
        Device.Free(input);
    }

    [TestCase(1u, 1025u, "1025 threads, more than 1024")]
    [TestCase(0u, 32u, "grid (0, 1, 1) has a zero dimension")]
    public void ImpossibleDimensionsAreRefused(uint grid, uint block, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Backend.Launch("emu_test_empty", new Dim3(grid), new Dim3(block), 1));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void AWritePastTheEndIsCaughtAfterTheLaunch()
    {
        const int n = 309; // 1,236 bytes: the write lands in the padding before the next 256-byte boundary
        var output = Fresh<float>(n);
        var error = Assert.Throws<InvalidOperationException>(() => Backend.Launch("emu_test_write_past_end", new Dim3(2), new Dim3(256), output, n));
        Assert.That(error!.Message, Does.Contain("kernel emu_test_write_past_end wrote past the end of a 1,236-byte buffer"));
        // The guard is restored, so the next launch does not report the same bytes again.
        Assert.DoesNotThrow(() => Backend.Launch("emu_test_empty", new Dim3(1), new Dim3(1), 1));
        Assert.That(Download<float>(output, n), Is.All.EqualTo(1.0f));
        Device.Free(output);
    }

    [Test]
    public void AWriteBeforeTheStartIsCaught()
    {
        var output = Fresh<float>(8);
        var before = output.Offset(-4);
        var error = Assert.Throws<InvalidOperationException>(() => Backend.Launch("emu_test_write_past_end", new Dim3(1), new Dim3(1), before, 0));
        Assert.That(error!.Message, Does.Contain("wrote before the start of a 32-byte buffer"));
        Device.Free(output);
    }

    [Test]
    public void FreshMemoryReadsAsNaN()
    {
        const int n = 300;
        var fresh = Fresh<float>(n);
        var copy = Fresh<float>(n);
        Backend.Launch("emu_test_copy", new Dim3(2), new Dim3(256), fresh, copy, n);
        Assert.That(Download<float>(copy, n), Is.All.NaN);
        Device.Free(fresh);
        Device.Free(copy);
    }

    [Test]
    public void ThreadsThatReturnBeforeABarrierDoNotBlockIt()
    {
        const int blocks = 3, active = 100;
        var output = Fresh<int>(blocks);
        var launch = Task.Run(() => Backend.Launch("emu_test_early_return_barrier", new Dim3(blocks), new Dim3(256), output, active));
        Assert.That(launch.Wait(TimeSpan.FromSeconds(60)), Is.True, "the launch did not finish: the barrier waits for returned threads");
        Assert.That(Download<int>(output, blocks), Is.All.EqualTo(active * (active - 1) / 2));
        Device.Free(output);
    }

    [Test]
    public void ABlockReductionSeesItsOwnBlockAndSharedMemory()
    {
        const int threads = 128, gx = 5, gy = 3, n = gx * gy * threads - 77;
        float[] values = [.. Enumerable.Range(0, n).Select(i => (float)(i % 17 - 8))];
        var input = Upload(values);
        var sums = Fresh<float>(gx * gy);
        var total = Upload(new[] { 0.0f });
        Backend.Launch("emu_test_block_sum", new Dim3(gx, gy), new Dim3(threads), input, sums, total, n);
        float[] expected = [.. Enumerable.Range(0, gx * gy).Select(b => values.Skip(b * threads).Take(threads).Sum())];
        Assert.That(Download<float>(sums, gx * gy), Is.EqualTo(expected));
        Assert.That(Download<float>(total, 1)[0], Is.EqualTo(values.Sum()));
        foreach (var p in new[] { input, sums, total }) Device.Free(p);
    }

    [Test]
    public void SharedMemoryDoesNotCarryOverFromTheBlockBefore()
    {
        var output = Fresh<float>(128);
        Backend.Launch("emu_test_stale_shared", new Dim3(2), new Dim3(32), output);
        var values = Download<float>(output, 128);
        Assert.That(values[..64], Is.EqualTo(Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? 1.0f : 2.0f)), "block 0 wrote both");
        Assert.That(values[64..], Is.All.NaN, "block 1 wrote neither");
        Device.Free(output);
    }

    [Test]
    public void ThreadsMeetingAtDifferentBarriersFailTheLaunch()
    {
        var output = Fresh<float>(64);
        var error = Assert.Throws<InvalidOperationException>(() => Backend.Launch("emu_test_divergent_barrier", new Dim3(1), new Dim3(64), output));
        Assert.That(error!.Message, Does.Contain("different __syncthreads()").And.Contains("test_kernels.cu:"));
        // The launch after a failed one runs normally.
        Assert.DoesNotThrow(() => Backend.Launch("emu_test_empty", new Dim3(4), new Dim3(64), 1));
        Device.Free(output);
    }

    [Test]
    public void ThreeDimensionalLaunchesHandOutEveryCoordinate()
    {
        var count = Upload(new[] { 0 });
        var coords = Fresh<int>(3 * 24);
        Backend.Launch("emu_test_coords", new Dim3(2, 2, 2), new Dim3(4, 3, 2), count, coords);
        Assert.That(Download<int>(count, 1)[0], Is.EqualTo(8 * 24));
        int[] expected = [.. Enumerable.Range(0, 24).SelectMany(t => new[] { t % 4, t / 4 % 3, t / 12 })];
        Assert.That(Download<int>(coords, 3 * 24), Is.EqualTo(expected));
        Device.Free(count);
        Device.Free(coords);
    }

    [Test]
    public unsafe void EveryParameterKindArrivesAtItsCType()
    {
        var output = Fresh<float>(4);
        var input = Upload(new[] { 42.5f });
        var shape = new EmuTestShape { Rank = 3 };
        shape.Dims[0] = 2;
        shape.Dims[1] = 30;
        shape.Dims[2] = 400;
        shape.Dims[3] = 5000; // beyond the rank: must not be summed
        Backend.Launch("emu_test_params", new Dim3(1), new Dim3(1), output, -7, 0.25f, shape, input);
        Assert.That(Download<float>(output, 4), Is.EqualTo(new[] { -7f, 0.25f, 432f, 42.5f }));
        Device.Free(output);
        Device.Free(input);
    }

    [Test]
    public void CopiesOutsideAnAllocationAreRefused()
    {
        var buffer = Fresh<float>(10);
        Assert.That(() => Device.CopyToDevice(buffer.Offset(8), new byte[40]),
            Throws.InvalidOperationException.With.Message.Contains("past the end of a 40-byte buffer"));
        Assert.That(() => Device.CopyToHost(new byte[4], new DevicePtr(12345)),
            Throws.InvalidOperationException.With.Message.Contains("no live allocation"));
        Device.Free(buffer);
        Assert.That(() => Device.Free(buffer), Throws.InvalidOperationException.With.Message.Contains("did not allocate it"));
    }

    [Test]
    public void AHundredBlocksOf256ThreadsSumCorrectly()
    {
        const int threads = 256, blocks = 100, n = threads * blocks;
        var input = Upload(Enumerable.Repeat(1.0f, n).ToArray());
        var sums = Fresh<float>(blocks);
        var total = Upload(new[] { 0.0f });
        Backend.Launch("emu_test_block_sum", new Dim3(blocks), new Dim3(threads), input, sums, total, n); // warm the pool
        var clock = Stopwatch.StartNew();
        Backend.Launch("emu_test_block_sum", new Dim3(blocks), new Dim3(threads), input, sums, total, n);
        clock.Stop();
        TestContext.Out.WriteLine($"{blocks} blocks x {threads} threads with 9 barriers each: {clock.Elapsed.TotalMilliseconds:F1} ms");
        Assert.That(Download<float>(sums, blocks), Is.All.EqualTo(256.0f));
        Assert.That(Download<float>(total, 1)[0], Is.EqualTo(2.0f * n));
        foreach (var p in new[] { input, sums, total }) Device.Free(p);
    }
}
