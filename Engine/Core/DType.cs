namespace GraphDL;

/// <summary>The element types a tensor can hold.</summary>
public enum DType
{
    /// <summary>32-bit floating point (C# float): what graphs, kernels and checkpoints use by default.</summary>
    Float32,
    /// <summary>64-bit floating point (C# double): every op runs in it too; the gradient checks use it.</summary>
    Float64,
    /// <summary>32-bit integers (C# int): labels, indices, axes and run-time shapes.</summary>
    Int32,
    /// <summary>Booleans (C# bool), one byte per element: what comparisons produce and Where selects with.</summary>
    Bool,
}

/// <summary>The facts about a <see cref="DType"/>: whether it is floating, its size, its .NET element type.</summary>
public static class DTypeExtensions
{
    /// <summary>True for Float32 and Float64, the dtypes gradients and optimizers work in.</summary>
    public static bool IsFloating(this DType t) => t is DType.Float32 or DType.Float64;

    /// <summary>Bytes per element: 4, 8, 4 and 1 (Bool is one byte, on the host and on the device).</summary>
    public static int ByteSize(this DType t) => t switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>The .NET element type of a tensor of this dtype: float, double, int or bool.</summary>
    public static Type ClrType(this DType t) => t switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Bool => typeof(bool),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>The dtype of .NET element type <typeparamref name="T"/>: float gives Float32, and so on.</summary>
    public static DType Of<T>() => Of(typeof(T));

    /// <summary>The dtype of a .NET element type; any type but float, double, int or bool is an error that says so.</summary>
    public static DType Of(Type t) =>
        t == typeof(float) ? DType.Float32 :
        t == typeof(double) ? DType.Float64 :
        t == typeof(int) ? DType.Int32 :
        t == typeof(bool) ? DType.Bool :
        throw new NotSupportedException($"GraphDL tensors cannot hold {t.Name}; use float, double, int or bool.");
}
