using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// One binary function in its four shapes: element by element, and vectorised over a row in which each
/// operand is either contiguous or a repeated scalar. Generic structs, so the JIT specialises every loop.
/// </summary>
internal interface IBinaryKernel<T>
{
    static abstract T Apply(T a, T b);
    static abstract void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);
    static abstract void Apply(ReadOnlySpan<T> a, T b, Span<T> y);
    static abstract void Apply(T a, ReadOnlySpan<T> b, Span<T> y);
}

internal struct AddKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Add(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Add(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Add(b, a, y);
}

internal struct SubKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Subtract(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Subtract(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Subtract(a, b, y);
}

internal struct MulKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Multiply(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Multiply(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Multiply(b, a, y);
}

internal struct DivKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a / b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Divide(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Divide(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Divide(a, b, y);
}

internal struct MaximumKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.Max(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Max(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Max(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Max(b, a, y);
}

internal struct MinimumKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.Min(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Min(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Min(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Min(b, a, y);
}

internal struct PowKernel<T> : IBinaryKernel<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Pow(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Pow(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Pow(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Pow(a, b, y);
}

internal struct SquaredDifferenceKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => (a - b) * (a - b);

    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
    {
        TensorPrimitives.Subtract(a, b, y);
        TensorPrimitives.Multiply(y, y, y);
    }

    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y)
    {
        TensorPrimitives.Subtract(a, b, y);
        TensorPrimitives.Multiply(y, y, y);
    }

    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => Apply(b, a, y);
}

/// <summary>A comparison the compare loop inlines.</summary>
internal interface IComparison<T>
{
    static abstract bool Test(T u, T v);
}

internal readonly struct IsEqual<T> : IComparison<T> where T : INumber<T> { public static bool Test(T u, T v) => u == v; }
internal readonly struct IsNotEqual<T> : IComparison<T> where T : INumber<T> { public static bool Test(T u, T v) => u != v; }
internal readonly struct IsLess<T> : IComparison<T> where T : INumber<T> { public static bool Test(T u, T v) => u < v; }
internal readonly struct IsLessEqual<T> : IComparison<T> where T : INumber<T> { public static bool Test(T u, T v) => u <= v; }
internal readonly struct IsGreater<T> : IComparison<T> where T : INumber<T> { public static bool Test(T u, T v) => u > v; }
internal readonly struct IsGreaterEqual<T> : IComparison<T> where T : INumber<T> { public static bool Test(T u, T v) => u >= v; }
internal readonly struct SameBool : IComparison<bool> { public static bool Test(bool u, bool v) => u == v; }
internal readonly struct DifferentBool : IComparison<bool> { public static bool Test(bool u, bool v) => u != v; }

/// <summary>ReLU's gradient: dout where x > 0, else 0 (a = dout, b = x). One pass instead of a compare and a select.</summary>
internal struct ReluGradKernel<T> : IBinaryKernel<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T dout, T x) => x > T.Zero ? dout : T.Zero;

    public static void Apply(ReadOnlySpan<T> dout, ReadOnlySpan<T> x, Span<T> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<T>(x.Slice(i)), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, new Vector<T>(dout.Slice(i)), Vector<T>.Zero).CopyTo(y.Slice(i));
            }
        }
        for (; i < y.Length; i++) y[i] = Apply(dout[i], x[i]);
    }

    public static void Apply(ReadOnlySpan<T> dout, T x, Span<T> y)
    {
        if (x > T.Zero) dout.CopyTo(y);
        else y.Clear();
    }

    public static void Apply(T dout, ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = Apply(dout, x[i]);
    }
}
