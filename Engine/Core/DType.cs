namespace GraphDL;

/// <summary>The element types a tensor can hold.</summary>
public enum DType
{
    Float32,
    Float64,
    Int32,
    Bool,
}

public static class DTypeExtensions
{
    public static bool IsFloating(this DType t) => t is DType.Float32 or DType.Float64;

    public static int ByteSize(this DType t) => t switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static Type ClrType(this DType t) => t switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Bool => typeof(bool),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static DType Of<T>() => Of(typeof(T));

    public static DType Of(Type t) =>
        t == typeof(float) ? DType.Float32 :
        t == typeof(double) ? DType.Float64 :
        t == typeof(int) ? DType.Int32 :
        t == typeof(bool) ? DType.Bool :
        throw new NotSupportedException($"GraphDL tensors cannot hold {t.Name}; use float, double, int or bool.");
}
