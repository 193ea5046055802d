using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// The optimizers' update rules, one pass over the elements each, computed in the variable's precision: each a job on
/// whole SIMD vectors and then the remainder element by element, both with the same operations in the same order, so
/// an element's bits do not depend on where it falls; large variables are shared between the cores.
/// </summary>
public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void ApplyGradientDescent(Tensor variable, Tensor lr, Tensor grad)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyGradientDescent<float>(variable, lr, grad); break;
            case DType.Float64: ApplyGradientDescent<double>(variable, lr, grad); break;
            default: throw Unsupported(nameof(ApplyGradientDescent), variable.DType);
        }
    }

    private static void ApplyGradientDescent<T>(Tensor variable, Tensor lr, Tensor grad) where T : IFloatingPointIeee754<T> =>
        CpuParallel.Run(new GradientDescentJob<T>(variable.Buffer<T>(), ScalarOf<T>(lr), grad.Buffer<T>()), variable.Size);

    /// <summary>w -= lr * g over a range: large variables are updated by two cores.</summary>
    private readonly record struct GradientDescentJob<T>(T[] W, T Lr, T[] G) : IRangeJob where T : IFloatingPointIeee754<T>
    {
        public void Run(int start, int end) => TensorPrimitives.MultiplyAdd(G.AsSpan(start..end), -Lr, W.AsSpan(start..end), W.AsSpan(start..end));
    }

    /// <inheritdoc/>
    public void ApplyMomentum(Tensor variable, Tensor accum, Tensor lr, Tensor grad, Tensor momentum, bool nesterov)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyMomentum<float>(variable, accum, lr, grad, momentum, nesterov); break;
            case DType.Float64: ApplyMomentum<double>(variable, accum, lr, grad, momentum, nesterov); break;
            default: throw Unsupported(nameof(ApplyMomentum), variable.DType);
        }
    }

    private static void ApplyMomentum<T>(Tensor variable, Tensor accumulator, Tensor learningRate, Tensor gradient, Tensor momentumRate, bool nesterov)
        where T : struct, IFloatingPointIeee754<T> =>
        CpuParallel.Run(new MomentumJob<T>(variable.Buffer<T>(), accumulator.Buffer<T>(), gradient.Buffer<T>(), ScalarOf<T>(learningRate),
            ScalarOf<T>(momentumRate), nesterov), variable.Size);

    /// <summary>The momentum update over a range, vectors first, with the scalar formula's operations in its order (see <see cref="AdamJob{T}"/>).</summary>
    private readonly record struct MomentumJob<T>(T[] W, T[] Accum, T[] G, T Lr, T Momentum, bool Nesterov) : IRangeJob
        where T : struct, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            T[] w = W, accum = Accum, g = G;
            T lr = Lr, momentum = Momentum;
            var lrs = new Vector<T>(lr);
            var momenta = new Vector<T>(momentum);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var ai = new Vector<T>(accum, i) * momenta + gi;
                var wi = new Vector<T>(w, i) - (Nesterov ? lrs * gi + lrs * momenta * ai : lrs * ai);
                ai.CopyTo(accum, i);
                wi.CopyTo(w, i);
            }
            for (; i < end; i++)
            {
                accum[i] = accum[i] * momentum + g[i];
                w[i] -= Nesterov ? lr * g[i] + lr * momentum * accum[i] : lr * accum[i];
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyAdagrad(Tensor variable, Tensor accum, Tensor lr, Tensor grad)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyAdagrad<float>(variable, accum, lr, grad); break;
            case DType.Float64: ApplyAdagrad<double>(variable, accum, lr, grad); break;
            default: throw Unsupported(nameof(ApplyAdagrad), variable.DType);
        }
    }

    private static void ApplyAdagrad<T>(Tensor variable, Tensor accumulator, Tensor learningRate, Tensor gradient) where T : struct, IFloatingPointIeee754<T> =>
        CpuParallel.Run(new AdagradJob<T>(variable.Buffer<T>(), accumulator.Buffer<T>(), gradient.Buffer<T>(), ScalarOf<T>(learningRate)), variable.Size);

    /// <summary>AdaGrad's update over a range, vectors first, with the scalar formula's operations in its order (see <see cref="AdamJob{T}"/>).</summary>
    private readonly record struct AdagradJob<T>(T[] W, T[] Accum, T[] G, T Lr) : IRangeJob where T : struct, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            T[] w = W, accum = Accum, g = G;
            T lr = Lr;
            var lrs = new Vector<T>(lr);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var ai = new Vector<T>(accum, i) + gi * gi;
                var wi = new Vector<T>(w, i) - lrs * gi / Vector.SquareRoot(ai);
                ai.CopyTo(accum, i);
                wi.CopyTo(w, i);
            }
            for (; i < end; i++)
            {
                accum[i] += g[i] * g[i];
                w[i] -= lr * g[i] / T.Sqrt(accum[i]);
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyRmsProp(Tensor variable, Tensor ms, Tensor mom, Tensor? mg, Tensor lr, Tensor rho, Tensor momentum, Tensor epsilon, Tensor grad)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyRmsProp<float>(variable, ms, mom, mg, lr, rho, momentum, epsilon, grad); break;
            case DType.Float64: ApplyRmsProp<double>(variable, ms, mom, mg, lr, rho, momentum, epsilon, grad); break;
            default: throw Unsupported(nameof(ApplyRmsProp), variable.DType);
        }
    }

    private static void ApplyRmsProp<T>(Tensor variable, Tensor meanSquare, Tensor moment, Tensor? meanGradient, Tensor learningRate, Tensor decay,
                                        Tensor momentumRate, Tensor epsilonValue, Tensor gradient) where T : struct, IFloatingPointIeee754<T> =>
        CpuParallel.Run(new RmsPropJob<T>(variable.Buffer<T>(), meanSquare.Buffer<T>(), moment.Buffer<T>(), meanGradient?.Buffer<T>(), gradient.Buffer<T>(),
            ScalarOf<T>(learningRate), ScalarOf<T>(decay), ScalarOf<T>(momentumRate), ScalarOf<T>(epsilonValue)), variable.Size);

    /// <summary>
    /// RMSProp's update over a range, centred when <c>Mg</c> is given, vectors first, with the scalar formula's
    /// operations in its order (see <see cref="AdamJob{T}"/>).
    /// </summary>
    private readonly record struct RmsPropJob<T>(T[] W, T[] Ms, T[] Mom, T[]? Mg, T[] G, T Lr, T Rho, T Momentum, T Epsilon) : IRangeJob
        where T : struct, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            T[] w = W, ms = Ms, mom = Mom, g = G;
            T[]? mg = Mg;
            T lr = Lr, rho = Rho, momentum = Momentum, epsilon = Epsilon;
            Vector<T> lrs = new(lr), rhos = new(rho), oneMinusRhos = new(T.One - rho), momenta = new(momentum), epsilons = new(epsilon);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var msi = rhos * new Vector<T>(ms, i) + oneMinusRhos * gi * gi;
                var denominator = msi + epsilons;
                if (mg is not null)
                {
                    var mgi = rhos * new Vector<T>(mg, i) + oneMinusRhos * gi;
                    denominator -= mgi * mgi;
                    mgi.CopyTo(mg, i);
                }
                var momi = momenta * new Vector<T>(mom, i) + lrs * gi / Vector.SquareRoot(denominator);
                var wi = new Vector<T>(w, i) - momi;
                msi.CopyTo(ms, i);
                momi.CopyTo(mom, i);
                wi.CopyTo(w, i);
            }
            for (; i < end; i++)
            {
                ms[i] = rho * ms[i] + (T.One - rho) * g[i] * g[i];
                T denominator = ms[i] + epsilon;
                if (mg is not null)
                {
                    mg[i] = rho * mg[i] + (T.One - rho) * g[i];
                    denominator -= mg[i] * mg[i];
                }
                mom[i] = momentum * mom[i] + lr * g[i] / T.Sqrt(denominator);
                w[i] -= mom[i];
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyAdam(Tensor variable, Tensor m, Tensor v, Tensor beta1Power, Tensor beta2Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyAdam<float>(variable, m, v, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grad); break;
            case DType.Float64: ApplyAdam<double>(variable, m, v, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grad); break;
            default: throw Unsupported(nameof(ApplyAdam), variable.DType);
        }
    }

    private static void ApplyAdam<T>(Tensor variable, Tensor firstMoment, Tensor secondMoment, Tensor beta1PowerValue, Tensor beta2PowerValue,
                                     Tensor learningRate, Tensor beta1Value, Tensor beta2Value, Tensor epsilonValue, Tensor gradient)
        where T : struct, IFloatingPointIeee754<T>
    {
        T beta1 = ScalarOf<T>(beta1Value), beta2 = ScalarOf<T>(beta2Value), epsilon = ScalarOf<T>(epsilonValue);
        T lrT = ScalarOf<T>(learningRate) * T.Sqrt(T.One - ScalarOf<T>(beta2PowerValue)) / (T.One - ScalarOf<T>(beta1PowerValue));
        CpuParallel.Run(new AdamJob<T>(variable.Buffer<T>(), firstMoment.Buffer<T>(), secondMoment.Buffer<T>(), gradient.Buffer<T>(),
            beta1, beta2, epsilon, lrT), variable.Size);
    }

    /// <summary>
    /// Adam's update over a range: whole SIMD vectors, then the rest one element at a time. Both loops make the same
    /// operations in the same order (IEEE division and square root, no fused multiply-add), so an element gets the same
    /// bits whichever loop and whichever core updates it; large variables are updated by two cores.
    /// </summary>
    private readonly record struct AdamJob<T>(T[] W, T[] M, T[] V, T[] G, T Beta1, T Beta2, T Epsilon, T LrT) : IRangeJob
        where T : struct, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            T beta1 = Beta1, beta2 = Beta2, epsilon = Epsilon, lrT = LrT;
            T[] w = W, m = M, v = V, g = G;
            var beta1s = new Vector<T>(beta1);
            var beta2s = new Vector<T>(beta2);
            var epsilons = new Vector<T>(epsilon);
            var lrTs = new Vector<T>(lrT);
            var oneMinusBeta1s = new Vector<T>(T.One - beta1);
            var oneMinusBeta2s = new Vector<T>(T.One - beta2);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var mi = beta1s * new Vector<T>(m, i) + oneMinusBeta1s * gi;
                var vi = beta2s * new Vector<T>(v, i) + oneMinusBeta2s * gi * gi;
                var wi = new Vector<T>(w, i) - lrTs * mi / (Vector.SquareRoot(vi) + epsilons);
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                wi.CopyTo(w, i);
            }
            for (; i < end; i++)
            {
                m[i] = beta1 * m[i] + (T.One - beta1) * g[i];
                v[i] = beta2 * v[i] + (T.One - beta2) * g[i] * g[i];
                w[i] -= lrT * m[i] / (T.Sqrt(v[i]) + epsilon);
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyAdadelta(Tensor variable, Tensor accum, Tensor accumUpdate, Tensor lr, Tensor rho, Tensor epsilon, Tensor grad)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyAdadelta<float>(variable, accum, accumUpdate, lr, rho, epsilon, grad); break;
            case DType.Float64: ApplyAdadelta<double>(variable, accum, accumUpdate, lr, rho, epsilon, grad); break;
            default: throw Unsupported(nameof(ApplyAdadelta), variable.DType);
        }
    }

    private static void ApplyAdadelta<T>(Tensor variable, Tensor gradientAccumulator, Tensor updateAccumulator, Tensor learningRate, Tensor decay,
                                         Tensor epsilonValue, Tensor gradient) where T : struct, IFloatingPointIeee754<T> =>
        CpuParallel.Run(new AdadeltaJob<T>(variable.Buffer<T>(), gradientAccumulator.Buffer<T>(), updateAccumulator.Buffer<T>(), gradient.Buffer<T>(),
            ScalarOf<T>(learningRate), ScalarOf<T>(decay), ScalarOf<T>(epsilonValue)), variable.Size);

    /// <summary>Adadelta's update over a range, vectors first, with the scalar formula's operations in its order (see <see cref="AdamJob{T}"/>).</summary>
    private readonly record struct AdadeltaJob<T>(T[] W, T[] Accum, T[] AccumUpdate, T[] G, T Lr, T Rho, T Epsilon) : IRangeJob
        where T : struct, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            T[] w = W, accum = Accum, accumUpdate = AccumUpdate, g = G;
            T lr = Lr, rho = Rho, epsilon = Epsilon;
            Vector<T> lrs = new(lr), rhos = new(rho), oneMinusRhos = new(T.One - rho), epsilons = new(epsilon);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var ai = rhos * new Vector<T>(accum, i) + oneMinusRhos * gi * gi;
                var ui = new Vector<T>(accumUpdate, i);
                var update = Vector.SquareRoot(ui + epsilons) / Vector.SquareRoot(ai + epsilons) * gi;
                ui = rhos * ui + oneMinusRhos * update * update;
                var wi = new Vector<T>(w, i) - lrs * update;
                ai.CopyTo(accum, i);
                ui.CopyTo(accumUpdate, i);
                wi.CopyTo(w, i);
            }
            for (; i < end; i++)
            {
                accum[i] = rho * accum[i] + (T.One - rho) * g[i] * g[i];
                T update = T.Sqrt(accumUpdate[i] + epsilon) / T.Sqrt(accum[i] + epsilon) * g[i];
                accumUpdate[i] = rho * accumUpdate[i] + (T.One - rho) * update * update;
                w[i] -= lr * update;
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyAdaMax(Tensor variable, Tensor m, Tensor u, Tensor beta1Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyAdaMax<float>(variable, m, u, beta1Power, lr, beta1, beta2, epsilon, grad); break;
            case DType.Float64: ApplyAdaMax<double>(variable, m, u, beta1Power, lr, beta1, beta2, epsilon, grad); break;
            default: throw Unsupported(nameof(ApplyAdaMax), variable.DType);
        }
    }

    private static void ApplyAdaMax<T>(Tensor variable, Tensor firstMoment, Tensor infinityNorm, Tensor beta1PowerValue, Tensor learningRate,
                                       Tensor beta1Value, Tensor beta2Value, Tensor epsilonValue, Tensor gradient)
        where T : struct, IFloatingPointIeee754<T>
    {
        T lrT = ScalarOf<T>(learningRate) / (T.One - ScalarOf<T>(beta1PowerValue));
        CpuParallel.Run(new AdaMaxJob<T>(variable.Buffer<T>(), firstMoment.Buffer<T>(), infinityNorm.Buffer<T>(), gradient.Buffer<T>(),
            ScalarOf<T>(beta1Value), ScalarOf<T>(beta2Value), ScalarOf<T>(epsilonValue), lrT), variable.Size);
    }

    /// <summary>
    /// AdaMax's update over a range, vectors first, with the scalar formula's operations in its order (see
    /// <see cref="AdamJob{T}"/>); Vector.Max and T.Max agree on NaN and signed zeros.
    /// </summary>
    private readonly record struct AdaMaxJob<T>(T[] W, T[] M, T[] U, T[] G, T Beta1, T Beta2, T Epsilon, T LrT) : IRangeJob
        where T : struct, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            T[] w = W, m = M, u = U, g = G;
            T beta1 = Beta1, beta2 = Beta2, epsilon = Epsilon, lrT = LrT;
            Vector<T> beta1s = new(beta1), oneMinusBeta1s = new(T.One - beta1), beta2s = new(beta2), epsilons = new(epsilon), lrTs = new(lrT);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var mi = beta1s * new Vector<T>(m, i) + oneMinusBeta1s * gi;
                var ui = Vector.Max(beta2s * new Vector<T>(u, i), Vector.Abs(gi));
                var wi = new Vector<T>(w, i) - lrTs * mi / (ui + epsilons);
                mi.CopyTo(m, i);
                ui.CopyTo(u, i);
                wi.CopyTo(w, i);
            }
            for (; i < end; i++)
            {
                m[i] = beta1 * m[i] + (T.One - beta1) * g[i];
                u[i] = T.Max(beta2 * u[i], T.Abs(g[i]));
                w[i] -= lrT * m[i] / (u[i] + epsilon);
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyNadam(Tensor variable, Tensor m, Tensor v, Tensor momentumSchedule, Tensor momentum, Tensor nextMomentum, Tensor beta2Power,
                           Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad)
    {
        switch (variable.DType)
        {
            case DType.Float32: ApplyNadam<float>(variable, m, v, momentumSchedule, momentum, nextMomentum, beta2Power, lr, beta1, beta2, epsilon, grad); break;
            case DType.Float64: ApplyNadam<double>(variable, m, v, momentumSchedule, momentum, nextMomentum, beta2Power, lr, beta1, beta2, epsilon, grad); break;
            default: throw Unsupported(nameof(ApplyNadam), variable.DType);
        }
    }

    private static void ApplyNadam<T>(Tensor variable, Tensor firstMoment, Tensor secondMoment, Tensor momentumScheduleValue, Tensor momentumValue,
                                      Tensor nextMomentumValue, Tensor beta2PowerValue, Tensor learningRate, Tensor beta1Value, Tensor beta2Value,
                                      Tensor epsilonValue, Tensor gradient)
        where T : struct, IFloatingPointIeee754<T>
    {
        T mu = ScalarOf<T>(momentumValue), nextMu = ScalarOf<T>(nextMomentumValue);
        T schedule = ScalarOf<T>(momentumScheduleValue) * mu, nextSchedule = schedule * nextMu;
        T secondMomentCorrection = T.One - ScalarOf<T>(beta2PowerValue);
        CpuParallel.Run(new NadamJob<T>(variable.Buffer<T>(), firstMoment.Buffer<T>(), secondMoment.Buffer<T>(), gradient.Buffer<T>(),
            ScalarOf<T>(learningRate), ScalarOf<T>(beta1Value), ScalarOf<T>(beta2Value), ScalarOf<T>(epsilonValue),
            mu, nextMu, schedule, nextSchedule, secondMomentCorrection), variable.Size);
    }

    /// <summary>Nadam's update over a range, vectors first, with the scalar formula's operations in its order (see <see cref="AdamJob{T}"/>).</summary>
    private readonly record struct NadamJob<T>(T[] W, T[] M, T[] V, T[] G, T Lr, T Beta1, T Beta2, T Epsilon,
                                               T Mu, T NextMu, T Schedule, T NextSchedule, T SecondMomentCorrection) : IRangeJob
        where T : struct, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            T[] w = W, m = M, v = V, g = G;
            T lr = Lr, beta1 = Beta1, beta2 = Beta2, epsilon = Epsilon, mu = Mu, nextMu = NextMu;
            T schedule = Schedule, nextSchedule = NextSchedule, secondMomentCorrection = SecondMomentCorrection;
            Vector<T> lrs = new(lr), beta1s = new(beta1), oneMinusBeta1s = new(T.One - beta1), beta2s = new(beta2), oneMinusBeta2s = new(T.One - beta2);
            Vector<T> epsilons = new(epsilon), oneMinusMus = new(T.One - mu), nextMus = new(nextMu);
            Vector<T> oneMinusSchedules = new(T.One - schedule), oneMinusNextSchedules = new(T.One - nextSchedule), corrections = new(secondMomentCorrection);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var mi = beta1s * new Vector<T>(m, i) + oneMinusBeta1s * gi;
                var vi = beta2s * new Vector<T>(v, i) + oneMinusBeta2s * gi * gi;
                var mBar = oneMinusMus * (gi / oneMinusSchedules) + nextMus * (mi / oneMinusNextSchedules);
                var wi = new Vector<T>(w, i) - lrs * mBar / (Vector.SquareRoot(vi / corrections) + epsilons);
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                wi.CopyTo(w, i);
            }
            for (; i < end; i++)
            {
                m[i] = beta1 * m[i] + (T.One - beta1) * g[i];
                v[i] = beta2 * v[i] + (T.One - beta2) * g[i] * g[i];
                T mBar = (T.One - mu) * (g[i] / (T.One - schedule)) + nextMu * (m[i] / (T.One - nextSchedule));
                w[i] -= lr * mBar / (T.Sqrt(v[i] / secondMomentCorrection) + epsilon);
            }
        }
    }

    /// <summary>The one element of a scalar hyperparameter, in the variable's dtype.</summary>
    private static T ScalarOf<T>(Tensor scalar) => scalar.Size == 1
        ? scalar.ReadOnlySpan<T>()[0]
        : throw new ShapeException($"The optimizer updates take scalar hyperparameters, got a tensor of shape {scalar.Shape}.");
}
