using System.Globalization;
using System.Text;

namespace GraphDL;

/// <summary>
/// A dense, row-major block of numbers with a fully known shape: what feeds carry in and fetches carry out.
/// </summary>
public sealed class Tensor
{
    private readonly Array _data;

    public Shape Shape { get; }

    public DType DType { get; }

    /// <summary>The number of elements.</summary>
    public int Size => _data.Length;

    public int Rank => Shape.Rank;

    /// <summary>A zero-filled tensor.</summary>
    public Tensor(Shape shape, DType dtype = DType.Float32)
    {
        if (!shape.IsFullyDefined) throw new ShapeException($"A tensor needs a fully known shape, got {shape}.");
        Shape = shape;
        DType = dtype;
        _data = System.Array.CreateInstance(dtype.ClrType(), shape.Size);
    }

    private Tensor(Shape shape, DType dtype, Array data)
    {
        Shape = shape;
        DType = dtype;
        _data = data;
    }

    /// <summary>Wraps a flat array (not copied) as a tensor of the given shape.</summary>
    public static Tensor FromFlat<T>(T[] data, Shape shape)
    {
        if (!shape.IsFullyDefined || shape.Size != data.Length)
            throw new ShapeException($"{data.Length} values do not fill a tensor of shape {shape}.");
        return new Tensor(shape, DTypeExtensions.Of<T>(), data);
    }

    /// <summary>Copies a .NET array of any rank (float[,], int[], double[,,,] ...) into a new tensor.</summary>
    public static Tensor FromArray(Array array)
    {
        var dtype = DTypeExtensions.Of(array.GetType().GetElementType()!);
        var dims = new int[array.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = array.GetLength(i);
        var t = new Tensor(new Shape(dims), dtype);
        if (dtype == DType.Bool)
        {
            int k = 0;
            foreach (bool b in array) ((bool[])t._data)[k++] = b;
        }
        else
        {
            System.Buffer.BlockCopy(array, 0, t._data, 0, array.Length * dtype.ByteSize());
        }
        return t;
    }

    public static Tensor Scalar<T>(T value) => FromFlat(new[] { value }, Shape.Scalar);

    /// <summary>A tensor of the given shape and dtype with every element set to <paramref name="value"/>.</summary>
    public static Tensor Filled(Shape shape, DType dtype, double value)
    {
        var t = new Tensor(shape, dtype);
        switch (dtype)
        {
            case DType.Float32: System.Array.Fill((float[])t._data, (float)value); break;
            case DType.Float64: System.Array.Fill((double[])t._data, value); break;
            case DType.Int32: System.Array.Fill((int[])t._data, (int)value); break;
            case DType.Bool: System.Array.Fill((bool[])t._data, value != 0); break;
        }
        return t;
    }

    public static implicit operator Tensor(float v) => Scalar(v);
    public static implicit operator Tensor(double v) => Scalar(v);
    public static implicit operator Tensor(int v) => Scalar(v);
    public static implicit operator Tensor(bool v) => Scalar(v);
    public static implicit operator Tensor(float[] a) => FromArray(a);
    public static implicit operator Tensor(double[] a) => FromArray(a);
    public static implicit operator Tensor(int[] a) => FromArray(a);
    public static implicit operator Tensor(float[,] a) => FromArray(a);
    public static implicit operator Tensor(double[,] a) => FromArray(a);
    public static implicit operator Tensor(int[,] a) => FromArray(a);
    public static implicit operator Tensor(float[,,] a) => FromArray(a);
    public static implicit operator Tensor(double[,,] a) => FromArray(a);
    public static implicit operator Tensor(float[,,,] a) => FromArray(a);
    public static implicit operator Tensor(double[,,,] a) => FromArray(a);

    /// <summary>The elements as a span, for reading and writing in place.</summary>
    public Span<T> Span<T>() => _data is T[] a
        ? a
        : throw new InvalidCastException($"This tensor holds {DType}, not {typeof(T).Name}.");

    public ReadOnlySpan<T> ReadOnlySpan<T>() => Span<T>();

    /// <summary>The backing array; kept internal because the backends hand it to BLAS.</summary>
    internal T[] Buffer<T>() => (T[])_data;

    internal Array Data => _data;

    /// <summary>A flat copy of the elements.</summary>
    public T[] ToArray<T>() => Span<T>().ToArray();

    public T[,] ToArray2D<T>()
    {
        if (Rank != 2) throw new ShapeException($"ToArray2D needs a matrix, this tensor has shape {Shape}.");
        var result = new T[Shape[0], Shape[1]];
        var src = Span<T>();
        for (int i = 0; i < Shape[0]; i++)
            for (int j = 0; j < Shape[1]; j++)
                result[i, j] = src[i * Shape[1] + j];
        return result;
    }

    /// <summary>The single value of a tensor with one element.</summary>
    public T Scalar<T>()
    {
        if (Size != 1) throw new ShapeException($"Scalar<{typeof(T).Name}>() needs a tensor with one element, this one has shape {Shape}.");
        return Span<T>()[0];
    }

    /// <summary>Element <paramref name="i"/> (flat, row-major) as a double, whatever the dtype.</summary>
    public double GetDouble(int i) => DType switch
    {
        DType.Float32 => ((float[])_data)[i],
        DType.Float64 => ((double[])_data)[i],
        DType.Int32 => ((int[])_data)[i],
        DType.Bool => ((bool[])_data)[i] ? 1 : 0,
        _ => throw new InvalidOperationException(),
    };

    public void SetDouble(int i, double v)
    {
        switch (DType)
        {
            case DType.Float32: ((float[])_data)[i] = (float)v; break;
            case DType.Float64: ((double[])_data)[i] = v; break;
            case DType.Int32: ((int[])_data)[i] = (int)v; break;
            case DType.Bool: ((bool[])_data)[i] = v != 0; break;
        }
    }

    /// <summary>All elements as doubles (a copy): handy in tests and printing.</summary>
    public double[] ToDoubles()
    {
        var r = new double[Size];
        for (int i = 0; i < r.Length; i++) r[i] = GetDouble(i);
        return r;
    }

    public static explicit operator float(Tensor t) => (float)t.ScalarAsDouble();
    public static explicit operator double(Tensor t) => t.ScalarAsDouble();
    public static explicit operator int(Tensor t) => (int)t.ScalarAsDouble();

    private double ScalarAsDouble()
    {
        if (Size != 1) throw new ShapeException($"Only a tensor with one element converts to a number, this one has shape {Shape}.");
        return GetDouble(0);
    }

    public Tensor Clone() => new(Shape, DType, (Array)_data.Clone());

    /// <summary>The same elements under another shape of equal size (shares the data).</summary>
    public Tensor Reshaped(Shape shape)
    {
        if (!shape.IsFullyDefined || shape.Size != Size)
            throw new ShapeException($"Cannot view a tensor of shape {Shape} ({Size} elements) as {shape}.");
        return new Tensor(shape, DType, _data) { _viewedFrom = Shape };
    }

    // The shape of the tensor this one is a view of: with the storage, it tells a view op that the view
    // it made in the previous run still holds, so a steady-state run makes no new one.
    private Shape? _viewedFrom;

    /// <summary>True when this tensor is a <see cref="Reshaped"/> view of <paramref name="source"/> as it is now.</summary>
    internal bool IsViewOf(Tensor source) => ReferenceEquals(_data, source._data) && _viewedFrom == source.Shape;

    public void CopyFrom(Tensor source)
    {
        if (source.DType != DType || source.Size != Size)
            throw new ShapeException($"Cannot copy a {source.DType} tensor of shape {source.Shape} into a {DType} tensor of shape {Shape}.");
        System.Array.Copy(source._data, _data, Size);
    }

    /// <summary>NumPy-style text, eliding the middle of long axes.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb, 0, 0);
        return sb.ToString();
    }

    private void Append(StringBuilder sb, int axis, int offset)
    {
        if (axis == Rank)
        {
            sb.Append(DType switch
            {
                DType.Bool => ((bool[])_data)[offset] ? "True" : "False",
                DType.Int32 => ((int[])_data)[offset].ToString(CultureInfo.InvariantCulture),
                _ => GetDouble(offset).ToString("G7", CultureInfo.InvariantCulture),
            });
            return;
        }
        int n = Shape[axis], stride = Shape.SizeOf(axis + 1, Rank);
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (n > 10 && i == 3) { sb.Append("..., "); i = n - 4; continue; }
            if (i > 0) sb.Append(axis == Rank - 1 ? " " : "\n" + new string(' ', axis + 1));
            Append(sb, axis + 1, offset + i * stride);
        }
        sb.Append(']');
    }
}
