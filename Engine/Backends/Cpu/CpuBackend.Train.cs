using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

/// <summary>The optimizers' update rules, one pass over the elements each.</summary>
public sealed partial class CpuBackend
{
    public void ApplyGradientDescent(Tensor variable, double lr, Tensor grad)
    {
        if (variable.DType == DType.Float32) CpuParallel.Run(new GradientDescentJob<float>(variable.Buffer<float>(), (float)lr, grad.Buffer<float>()), variable.Size);
        else CpuParallel.Run(new GradientDescentJob<double>(variable.Buffer<double>(), lr, grad.Buffer<double>()), variable.Size);
    }

    /// <summary>w -= lr * g over a range: large variables are updated by two cores.</summary>
    private readonly record struct GradientDescentJob<T>(T[] W, T Lr, T[] G) : IRangeJob where T : IFloatingPointIeee754<T>
    {
        public void Run(int start, int end) => TensorPrimitives.MultiplyAdd(G.AsSpan(start..end), -Lr, W.AsSpan(start..end), W.AsSpan(start..end));
    }

    public void ApplyMomentum(Tensor variable, Tensor accum, double lr, Tensor grad, double momentum, bool nesterov)
    {
        if (variable.DType == DType.Float32)
            ApplyMomentum(variable.Span<float>(), accum.Span<float>(), (float)lr, grad.ReadOnlySpan<float>(), (float)momentum, nesterov);
        else
            ApplyMomentum(variable.Span<double>(), accum.Span<double>(), lr, grad.ReadOnlySpan<double>(), momentum, nesterov);
    }

    private static void ApplyMomentum<T>(Span<T> w, Span<T> accum, T lr, ReadOnlySpan<T> g, T momentum, bool nesterov)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++)
        {
            accum[i] = accum[i] * momentum + g[i];
            w[i] -= nesterov ? lr * g[i] + lr * momentum * accum[i] : lr * accum[i];
        }
    }

    public void ApplyAdagrad(Tensor variable, Tensor accum, double lr, Tensor grad)
    {
        if (variable.DType == DType.Float32) ApplyAdagrad(variable.Span<float>(), accum.Span<float>(), (float)lr, grad.ReadOnlySpan<float>());
        else ApplyAdagrad(variable.Span<double>(), accum.Span<double>(), lr, grad.ReadOnlySpan<double>());
    }

    private static void ApplyAdagrad<T>(Span<T> w, Span<T> accum, T lr, ReadOnlySpan<T> g) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++)
        {
            accum[i] += g[i] * g[i];
            w[i] -= lr * g[i] / T.Sqrt(accum[i]);
        }
    }

    public void ApplyRmsProp(Tensor variable, Tensor ms, Tensor mom, Tensor? mg, double lr, double rho, double momentum, double epsilon, Tensor grad)
    {
        if (variable.DType == DType.Float32)
            ApplyRmsProp(variable.Span<float>(), ms.Span<float>(), mom.Span<float>(), mg is null ? default : mg.Span<float>(), mg is not null,
                (float)lr, (float)rho, (float)momentum, (float)epsilon, grad.ReadOnlySpan<float>());
        else
            ApplyRmsProp(variable.Span<double>(), ms.Span<double>(), mom.Span<double>(), mg is null ? default : mg.Span<double>(), mg is not null,
                lr, rho, momentum, epsilon, grad.ReadOnlySpan<double>());
    }

    private static void ApplyRmsProp<T>(Span<T> w, Span<T> ms, Span<T> mom, Span<T> mg, bool centered,
                                        T lr, T rho, T momentum, T epsilon, ReadOnlySpan<T> g) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++)
        {
            ms[i] = rho * ms[i] + (T.One - rho) * g[i] * g[i];
            T denominator = ms[i] + epsilon;
            if (centered)
            {
                mg[i] = rho * mg[i] + (T.One - rho) * g[i];
                denominator -= mg[i] * mg[i];
            }
            mom[i] = momentum * mom[i] + lr * g[i] / T.Sqrt(denominator);
            w[i] -= mom[i];
        }
    }

    public void ApplyAdam(Tensor variable, Tensor m, Tensor v, double lrT, double beta1, double beta2, double epsilon, Tensor grad)
    {
        if (variable.DType == DType.Float32)
            ApplyAdam(variable.Span<float>(), m.Span<float>(), v.Span<float>(), (float)lrT, (float)beta1, (float)beta2, (float)epsilon, grad.ReadOnlySpan<float>());
        else
            ApplyAdam(variable.Span<double>(), m.Span<double>(), v.Span<double>(), lrT, beta1, beta2, epsilon, grad.ReadOnlySpan<double>());
    }

    private static void ApplyAdam<T>(Span<T> w, Span<T> m, Span<T> v, T lrT, T beta1, T beta2, T epsilon, ReadOnlySpan<T> g)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = beta1 * m[i] + (T.One - beta1) * g[i];
            v[i] = beta2 * v[i] + (T.One - beta2) * g[i] * g[i];
            w[i] -= lrT * m[i] / (T.Sqrt(v[i]) + epsilon);
        }
    }
}
