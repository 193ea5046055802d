using System.Numerics;
using GraphDL.Backends.Cpu;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// The CPU backend's fused optimizer updates, which run on SIMD vectors and split large variables between the cores,
/// against their formulas written out one element at a time, bit for bit: lengths below a vector, not a multiple of
/// one, and above CpuParallel's threshold (MnistCnn's first dense layer among them), in both float types, over a few
/// steps so the slots carry what earlier steps left.
/// </summary>
public class OptimizerUpdateBitsTests
{
    public static IEnumerable<TestCaseData> Lengths()
    {
        foreach (int length in new[] { 1, 3, 7, 8, 9, 17, 1_000, CpuParallel.MinimumLength + 13, 1568 * 256 + 5 })
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                yield return new TestCaseData(length, dtype).SetArgDisplayNames($"{length} elements, {dtype}");
    }

    [TestCaseSource(nameof(Lengths))]
    public void AdamGivesTheScalarFormulasBits(int length, DType dtype)
    {
        if (dtype == DType.Float32) AdamAgainstTheFormula<float>(length);
        else AdamAgainstTheFormula<double>(length);
    }

    private static void AdamAgainstTheFormula<T>(int length) where T : struct, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        T[] expectedW = Draw<T>(random, length, -1, 1), expectedM = new T[length], expectedV = new T[length];
        T[] start = (T[])expectedW.Clone();
        T lr = T.CreateTruncating(1e-3), beta1 = T.CreateTruncating(0.9), beta2 = T.CreateTruncating(0.999), epsilon = T.CreateTruncating(1e-8);
        // FromFlat wraps the array, so each tensor gets a copy of its own.
        var variable = Tensor.FromFlat((T[])expectedW.Clone(), new Shape(length));
        var first = Tensor.FromFlat(new T[length], new Shape(length));
        var second = Tensor.FromFlat(new T[length], new Shape(length));
        T beta1Power = T.One, beta2Power = T.One;
        for (int step = 1; step <= 3; step++)
        {
            // Gradients with a zero now and then (v stays 0 there on the first step, so the division meets epsilon alone).
            T[] g = Draw<T>(random, length, -2, 2);
            for (int i = 3; i < length; i += 5) g[i] = T.Zero;
            beta1Power *= beta1;
            beta2Power *= beta2;
            CpuBackend.Instance.ApplyAdam(variable, first, second, Tensor.Scalar(beta1Power), Tensor.Scalar(beta2Power), Tensor.Scalar(lr),
                Tensor.Scalar(beta1), Tensor.Scalar(beta2), Tensor.Scalar(epsilon), Tensor.FromFlat(g, new Shape(length)));

            T lrT = lr * T.Sqrt(T.One - beta2Power) / (T.One - beta1Power);
            for (int i = 0; i < length; i++)
            {
                expectedM[i] = beta1 * expectedM[i] + (T.One - beta1) * g[i];
                expectedV[i] = beta2 * expectedV[i] + (T.One - beta2) * g[i] * g[i];
                expectedW[i] -= lrT * expectedM[i] / (T.Sqrt(expectedV[i]) + epsilon);
            }
            Assert.That(BitsOf<T>(first), Is.EqualTo(Bits(expectedM)), $"m after step {step}");
            Assert.That(BitsOf<T>(second), Is.EqualTo(Bits(expectedV)), $"v after step {step}");
            Assert.That(BitsOf<T>(variable), Is.EqualTo(Bits(expectedW)), $"the variable after step {step}");
        }
        Assert.That(BitsOf<T>(variable), Is.Not.EqualTo(Bits(start)), "the variable moved");
    }

    private static T[] Draw<T>(Random random, int length, double low, double high) where T : IFloatingPointIeee754<T> =>
        [.. Enumerable.Range(0, length).Select(_ => T.CreateTruncating(low + (high - low) * random.NextDouble()))];

    private static long[] BitsOf<T>(Tensor t) => Bits(t.ReadOnlySpan<T>().ToArray());

    private static long[] Bits<T>(T[] values) => values switch
    {
        float[] f => [.. f.Select(v => (long)BitConverter.SingleToInt32Bits(v))],
        double[] d => [.. d.Select(BitConverter.DoubleToInt64Bits)],
        _ => throw new ArgumentException($"No bits for {typeof(T).Name}."),
    };
}
