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

    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    [TestCaseSource(nameof(Lengths))]
    public void AdamGivesTheScalarFormulasBits(int length, DType dtype)
    {
        if (dtype == DType.Float32) Adam<float>(length);
        else Adam<double>(length);
    }

    private static void Adam<T>(int length) where T : struct, IFloatingPointIeee754<T>
    {
        T lr = Of<T>(1e-3), beta1 = Of<T>(0.9), beta2 = Of<T>(0.999), epsilon = Of<T>(1e-8);
        AgainstTheFormula(length, ["m", "v"], T.Zero,
            (w, s, g, step) => Cpu.ApplyAdam(w, s[0], s[1], Scalar(Power(beta1, step)), Scalar(Power(beta2, step)), Scalar(lr), Scalar(beta1),
                Scalar(beta2), Scalar(epsilon), g),
            (w, s, g, step) =>
            {
                T[] m = s[0], v = s[1];
                T lrT = lr * T.Sqrt(T.One - Power(beta2, step)) / (T.One - Power(beta1, step));
                for (int i = 0; i < w.Length; i++)
                {
                    m[i] = beta1 * m[i] + (T.One - beta1) * g[i];
                    v[i] = beta2 * v[i] + (T.One - beta2) * g[i] * g[i];
                    w[i] -= lrT * m[i] / (T.Sqrt(v[i]) + epsilon);
                }
            });
    }

    [TestCaseSource(nameof(Lengths))]
    public void MomentumGivesTheScalarFormulasBits(int length, DType dtype)
    {
        foreach (bool nesterov in new[] { false, true })
            if (dtype == DType.Float32) Momentum<float>(length, nesterov);
            else Momentum<double>(length, nesterov);
    }

    private static void Momentum<T>(int length, bool nesterov) where T : struct, IFloatingPointIeee754<T>
    {
        T lr = Of<T>(0.05), momentum = Of<T>(0.9);
        AgainstTheFormula(length, ["accum"], T.Zero,
            (w, s, g, _) => Cpu.ApplyMomentum(w, s[0], Scalar(lr), g, Scalar(momentum), nesterov),
            (w, s, g, _) =>
            {
                T[] accum = s[0];
                for (int i = 0; i < w.Length; i++)
                {
                    accum[i] = accum[i] * momentum + g[i];
                    w[i] -= nesterov ? lr * g[i] + lr * momentum * accum[i] : lr * accum[i];
                }
            });
    }

    [TestCaseSource(nameof(Lengths))]
    public void AdagradGivesTheScalarFormulasBits(int length, DType dtype)
    {
        if (dtype == DType.Float32) Adagrad<float>(length);
        else Adagrad<double>(length);
    }

    private static void Adagrad<T>(int length) where T : struct, IFloatingPointIeee754<T>
    {
        T lr = Of<T>(0.1);
        AgainstTheFormula(length, ["accum"], Of<T>(0.1),
            (w, s, g, _) => Cpu.ApplyAdagrad(w, s[0], Scalar(lr), g),
            (w, s, g, _) =>
            {
                T[] accum = s[0];
                for (int i = 0; i < w.Length; i++)
                {
                    accum[i] += g[i] * g[i];
                    w[i] -= lr * g[i] / T.Sqrt(accum[i]);
                }
            });
    }

    [TestCaseSource(nameof(Lengths))]
    public void RmsPropGivesTheScalarFormulasBits(int length, DType dtype)
    {
        foreach (bool centered in new[] { false, true })
            if (dtype == DType.Float32) RmsProp<float>(length, centered);
            else RmsProp<double>(length, centered);
    }

    private static void RmsProp<T>(int length, bool centered) where T : struct, IFloatingPointIeee754<T>
    {
        T lr = Of<T>(0.01), rho = Of<T>(0.9), momentum = Of<T>(0.5), epsilon = Of<T>(1e-6);
        AgainstTheFormula(length, centered ? ["ms", "mom", "mg"] : ["ms", "mom"], T.Zero,
            (w, s, g, _) => Cpu.ApplyRmsProp(w, s[0], s[1], centered ? s[2] : null, Scalar(lr), Scalar(rho), Scalar(momentum), Scalar(epsilon), g),
            (w, s, g, _) =>
            {
                T[] ms = s[0], mom = s[1];
                for (int i = 0; i < w.Length; i++)
                {
                    ms[i] = rho * ms[i] + (T.One - rho) * g[i] * g[i];
                    T denominator = ms[i] + epsilon;
                    if (centered)
                    {
                        T[] mg = s[2];
                        mg[i] = rho * mg[i] + (T.One - rho) * g[i];
                        denominator -= mg[i] * mg[i];
                    }
                    mom[i] = momentum * mom[i] + lr * g[i] / T.Sqrt(denominator);
                    w[i] -= mom[i];
                }
            });
    }

    [TestCaseSource(nameof(Lengths))]
    public void AdadeltaGivesTheScalarFormulasBits(int length, DType dtype)
    {
        if (dtype == DType.Float32) Adadelta<float>(length);
        else Adadelta<double>(length);
    }

    private static void Adadelta<T>(int length) where T : struct, IFloatingPointIeee754<T>
    {
        T lr = Of<T>(1), rho = Of<T>(0.95), epsilon = Of<T>(1e-6);
        AgainstTheFormula(length, ["accum", "accum_update"], T.Zero,
            (w, s, g, _) => Cpu.ApplyAdadelta(w, s[0], s[1], Scalar(lr), Scalar(rho), Scalar(epsilon), g),
            (w, s, g, _) =>
            {
                T[] accum = s[0], accumUpdate = s[1];
                for (int i = 0; i < w.Length; i++)
                {
                    accum[i] = rho * accum[i] + (T.One - rho) * g[i] * g[i];
                    T update = T.Sqrt(accumUpdate[i] + epsilon) / T.Sqrt(accum[i] + epsilon) * g[i];
                    accumUpdate[i] = rho * accumUpdate[i] + (T.One - rho) * update * update;
                    w[i] -= lr * update;
                }
            });
    }

    [TestCaseSource(nameof(Lengths))]
    public void AdaMaxGivesTheScalarFormulasBits(int length, DType dtype)
    {
        if (dtype == DType.Float32) AdaMax<float>(length);
        else AdaMax<double>(length);
    }

    private static void AdaMax<T>(int length) where T : struct, IFloatingPointIeee754<T>
    {
        T lr = Of<T>(2e-3), beta1 = Of<T>(0.9), beta2 = Of<T>(0.999), epsilon = Of<T>(1e-7);
        AgainstTheFormula(length, ["m", "u"], T.Zero,
            (w, s, g, step) => Cpu.ApplyAdaMax(w, s[0], s[1], Scalar(Power(beta1, step)), Scalar(lr), Scalar(beta1), Scalar(beta2), Scalar(epsilon), g),
            (w, s, g, step) =>
            {
                T[] m = s[0], u = s[1];
                T lrT = lr / (T.One - Power(beta1, step));
                for (int i = 0; i < w.Length; i++)
                {
                    m[i] = beta1 * m[i] + (T.One - beta1) * g[i];
                    u[i] = T.Max(beta2 * u[i], T.Abs(g[i]));
                    w[i] -= lrT * m[i] / (u[i] + epsilon);
                }
            });
    }

    [TestCaseSource(nameof(Lengths))]
    public void NadamGivesTheScalarFormulasBits(int length, DType dtype)
    {
        if (dtype == DType.Float32) Nadam<float>(length);
        else Nadam<double>(length);
    }

    private static void Nadam<T>(int length) where T : struct, IFloatingPointIeee754<T>
    {
        T lr = Of<T>(2e-3), beta1 = Of<T>(0.9), beta2 = Of<T>(0.999), epsilon = Of<T>(1e-7);
        // Keras's momentum schedule, mu_t = beta1 (1 - 0.5 * 0.96^(t/250)), and the product of the mu's so far.
        T Mu(int t) => beta1 * (T.One - Of<T>(0.5) * T.Pow(Of<T>(0.96), Of<T>(t / 250.0)));
        T ScheduleBefore(int step)
        {
            T product = T.One;
            for (int t = 1; t < step; t++) product *= Mu(t);
            return product;
        }
        AgainstTheFormula(length, ["m", "v"], T.Zero,
            (w, s, g, step) => Cpu.ApplyNadam(w, s[0], s[1], Scalar(ScheduleBefore(step)), Scalar(Mu(step)), Scalar(Mu(step + 1)),
                Scalar(Power(beta2, step)), Scalar(lr), Scalar(beta1), Scalar(beta2), Scalar(epsilon), g),
            (w, s, g, step) =>
            {
                T[] m = s[0], v = s[1];
                T mu = Mu(step), nextMu = Mu(step + 1);
                T schedule = ScheduleBefore(step) * mu, nextSchedule = schedule * nextMu;
                T secondMomentCorrection = T.One - Power(beta2, step);
                for (int i = 0; i < w.Length; i++)
                {
                    m[i] = beta1 * m[i] + (T.One - beta1) * g[i];
                    v[i] = beta2 * v[i] + (T.One - beta2) * g[i] * g[i];
                    T mBar = (T.One - mu) * (g[i] / (T.One - schedule)) + nextMu * (m[i] / (T.One - nextSchedule));
                    w[i] -= lr * mBar / (T.Sqrt(v[i] / secondMomentCorrection) + epsilon);
                }
            });
    }

    /// <summary>
    /// Three steps of <paramref name="backend"/> on tensors and of <paramref name="formula"/> on arrays, from the same
    /// random variable and slots all at <paramref name="slotStart"/>, with the same gradients (a zero among them now
    /// and then); after each step the variable and every slot must have the formula's bits.
    /// </summary>
    private static void AgainstTheFormula<T>(int length, string[] slotNames, T slotStart, Action<Tensor, Tensor[], Tensor, int> backend,
        Action<T[], T[][], T[], int> formula) where T : struct, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        T[] expectedW = Draw<T>(random, length, -1, 1);
        T[] start = (T[])expectedW.Clone();
        T[][] expectedSlots = [.. slotNames.Select(_ => Enumerable.Repeat(slotStart, length).ToArray())];
        // FromFlat wraps the array, so each tensor gets a copy of its own.
        var variable = Tensor.FromFlat((T[])expectedW.Clone(), new Shape(length));
        var slots = expectedSlots.Select(slot => Tensor.FromFlat((T[])slot.Clone(), new Shape(length))).ToArray();
        for (int step = 1; step <= 3; step++)
        {
            T[] g = Draw<T>(random, length, -2, 2);
            for (int i = 3; i < length; i += 5) g[i] = T.Zero;
            backend(variable, slots, Tensor.FromFlat(g, new Shape(length)), step);
            formula(expectedW, expectedSlots, g, step);
            for (int k = 0; k < slots.Length; k++)
                Assert.That(BitsOf<T>(slots[k]), Is.EqualTo(Bits(expectedSlots[k])), $"{slotNames[k]} after step {step}");
            Assert.That(BitsOf<T>(variable), Is.EqualTo(Bits(expectedW)), $"the variable after step {step}");
        }
        Assert.That(BitsOf<T>(variable), Is.Not.EqualTo(Bits(start)), "the variable moved");
    }

    private static T Of<T>(double value) where T : IFloatingPointIeee754<T> => T.CreateTruncating(value);

    private static T Power<T>(T value, int exponent) where T : IFloatingPointIeee754<T>
    {
        T result = T.One;
        for (int i = 0; i < exponent; i++) result *= value;
        return result;
    }

    private static Tensor Scalar<T>(T value) => Tensor.Scalar(value);

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
