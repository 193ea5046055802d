using GraphDL.Backends.Cpu;
using GraphDL.Backends.Cuda;

namespace GraphDL.GpuCheck;

/// <summary>
/// One check of a CUDA primitive against the CPU backend: <see cref="Run"/> builds its inputs from fixed seeds
/// on whichever backend it is given, calls the primitive and returns the tensors to compare (outputs, and the
/// variables an in-place update changed).
/// </summary>
public sealed record ParityCase(string Family, string Name, Func<IBackend, Tensor[]> Run, double Tolerance = 1e-5)
{
    public override string ToString() => $"{Family}: {Name}";

    /// <summary>Runs on the CPU and on <paramref name="gpu"/>; null when they agree, else what differs.</summary>
    public string? Mismatch(CudaBackend gpu)
    {
        var expected = Run(CpuBackend.Instance);
        var actual = Run(gpu);
        if (expected.Length != actual.Length) return $"{expected.Length} results on the CPU, {actual.Length} on the GPU";
        for (int r = 0; r < expected.Length; r++)
        {
            var e = expected[r];
            var a = actual[r].ToHost();
            if (e.Shape != a.Shape || e.DType != a.DType) return $"result {r}: CPU {e.DType} {e.Shape}, GPU {a.DType} {a.Shape}";
            var ev = e.ToDoubles();
            var av = a.ToDoubles();
            for (int i = 0; i < ev.Length; i++)
            {
                // Equal values (infinities included) agree; NaN agrees only with NaN.
                bool same = ev[i] == av[i] || (double.IsNaN(ev[i]) ? double.IsNaN(av[i]) : Math.Abs(ev[i] - av[i]) <= Tolerance * (1 + Math.Abs(ev[i])));
                if (!same) return $"result {r} of shape {e.Shape}, element {i}: CPU {ev[i]:G9}, GPU {av[i]:G9} (tolerance {Tolerance:G2} relative)";
            }
        }
        return null;
    }
}

/// <summary>Building blocks for writing parity cases.</summary>
public static class Kit
{
    /// <summary>Float32 uniform in [lo, hi) from a fixed seed, on the host.</summary>
    public static Tensor Random(Shape shape, int seed, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape);
        var span = t.Span<float>();
        for (int i = 0; i < span.Length; i++) span[i] = (float)(lo + (hi - lo) * rng.NextDouble());
        return t;
    }

    /// <summary>Int32 uniform in [lo, hiExclusive) from a fixed seed, on the host.</summary>
    public static Tensor RandomInts(Shape shape, int seed, int lo, int hiExclusive)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape, DType.Int32);
        var span = t.Span<int>();
        for (int i = 0; i < span.Length; i++) span[i] = rng.Next(lo, hiExclusive);
        return t;
    }

    /// <summary>Float32 whole numbers from -2 to 2, so that equal values (ties for max, equal pairs for comparisons) are common.</summary>
    public static Tensor SmallFloats(Shape shape, int seed)
    {
        var ints = RandomInts(shape, seed, -2, 3).Span<int>();
        var t = new Tensor(shape);
        var span = t.Span<float>();
        for (int i = 0; i < span.Length; i++) span[i] = ints[i];
        return t;
    }

    /// <summary>Bool, true and false equally likely, from a fixed seed.</summary>
    public static Tensor Bools(Shape shape, int seed)
    {
        var ints = RandomInts(shape, seed, 0, 2).Span<int>();
        var t = new Tensor(shape, DType.Bool);
        var span = t.Span<bool>();
        for (int i = 0; i < span.Length; i++) span[i] = ints[i] == 1;
        return t;
    }

    /// <summary>A copy of a host tensor in <paramref name="backend"/>'s memory.</summary>
    public static Tensor On(IBackend backend, Tensor host)
    {
        var t = backend.Allocate(host.Shape, host.DType);
        t.CopyFrom(host);
        return t;
    }

    /// <summary>An output buffer in <paramref name="backend"/>'s memory (uninitialised on the device, NaN-poisoned under emulation).</summary>
    public static Tensor Out(IBackend backend, Shape shape, DType dtype = DType.Float32) => backend.Allocate(shape, dtype);
}
