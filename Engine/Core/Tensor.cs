using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace GraphDL;

/// <summary>
/// A dense, row-major block of numbers with a fully known shape: what feeds carry in and fetches carry out.
/// Its elements live in a .NET array (on the host) or, inside a session that runs on the GPU, in device
/// memory; fetched values always come back on the host.
/// </summary>
public sealed class Tensor
{
    private readonly Array _data = null!;          // null exactly when the elements are in device memory
    private readonly DeviceStorage? _device;

    /// <summary>The dimensions, all known (a tensor holds real data).</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The number of elements.</summary>
    public int Size { get; }

    /// <summary>True when the elements are in GPU (or emulated GPU) memory rather than in a .NET array.</summary>
    public bool IsOnDevice => _device is not null;

    /// <summary>The device memory holding the elements, or null for a host tensor; a backend reads its own kind from it.</summary>
    public DeviceStorage? DeviceStorage => _device;

    /// <summary>The number of dimensions, as <see cref="Shape.Rank"/>.</summary>
    public int Rank => Shape.Rank;

    /// <summary>A zero-filled tensor.</summary>
    public Tensor(Shape shape, DType dtype = DType.Float32)
    {
        if (!shape.IsFullyDefined) throw new ShapeException($"A tensor needs a fully known shape, got {shape}.");
        Shape = shape;
        DType = dtype;
        Size = shape.Size;
        _data = AllocateElements(shape, dtype);
    }

    /// <summary>
    /// The element array, or an error that says how much the shape asked for: without it, a mistaken batch size
    /// surfaces as a bare OutOfMemoryException from deep inside a run.
    /// </summary>
    private static Array AllocateElements(Shape shape, DType dtype)
    {
        try
        {
            return System.Array.CreateInstance(dtype.ClrType(), shape.Size);
        }
        catch (OutOfMemoryException e)
        {
            double gib = (double)shape.Size * dtype.ByteSize() / (1L << 30);
            throw new InsufficientMemoryException($"A {dtype} tensor of shape {shape} needs {gib:0.##} GiB, which this process cannot allocate.", e);
        }
    }

    private Tensor(Shape shape, DType dtype, Array data)
    {
        Shape = shape;
        DType = dtype;
        Size = data.Length;
        _data = data;
    }

    private Tensor(Shape shape, DType dtype, DeviceStorage device)
    {
        Shape = shape;
        DType = dtype;
        Size = shape.Size;
        _device = device;
    }

    /// <summary>A tensor whose elements are in <paramref name="storage"/>, a backend's device memory of at least the tensor's size.</summary>
    public static Tensor OnDevice(Shape shape, DType dtype, DeviceStorage storage)
    {
        if (!shape.IsFullyDefined) throw new ShapeException($"A tensor needs a fully known shape, got {shape}.");
        long bytes = (long)shape.Size * dtype.ByteSize();
        if (storage.Bytes < bytes)
            throw new ArgumentException($"A {dtype} tensor of shape {shape} needs {bytes} bytes; the device block holds {storage.Bytes}.", nameof(storage));
        return new Tensor(shape, dtype, storage);
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

    /// <summary>A rank-0 tensor holding <paramref name="value"/>, of the dtype of <typeparamref name="T"/>: <c>Tensor.Scalar(0.1f)</c>.</summary>
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

    /// <summary>A Float32 scalar, so a feed or an initial value can be written as <c>0.5f</c>.</summary>
    public static implicit operator Tensor(float v) => Scalar(v);
    /// <summary>A Float64 scalar (feeding it into a Float32 placeholder is an error: write <c>0.5f</c>).</summary>
    public static implicit operator Tensor(double v) => Scalar(v);
    /// <summary>An Int32 scalar.</summary>
    public static implicit operator Tensor(int v) => Scalar(v);
    /// <summary>A Bool scalar (a training flag, say).</summary>
    public static implicit operator Tensor(bool v) => Scalar(v);
    /// <summary>A Float32 vector, copied from the array.</summary>
    public static implicit operator Tensor(float[] a) => FromArray(a);
    /// <summary>A Float64 vector, copied from the array.</summary>
    public static implicit operator Tensor(double[] a) => FromArray(a);
    /// <summary>An Int32 vector (labels, indices), copied from the array.</summary>
    public static implicit operator Tensor(int[] a) => FromArray(a);
    /// <summary>A Float32 matrix, copied row by row: <c>[x] = new float[,] { { 0, 1 } }</c> feeds a batch of one.</summary>
    public static implicit operator Tensor(float[,] a) => FromArray(a);
    /// <summary>A Float64 matrix, copied row by row.</summary>
    public static implicit operator Tensor(double[,] a) => FromArray(a);
    /// <summary>An Int32 matrix, copied row by row.</summary>
    public static implicit operator Tensor(int[,] a) => FromArray(a);
    /// <summary>A rank-3 Float32 tensor (a batch of sequences, say), copied.</summary>
    public static implicit operator Tensor(float[,,] a) => FromArray(a);
    /// <summary>A rank-3 Float64 tensor, copied.</summary>
    public static implicit operator Tensor(double[,,] a) => FromArray(a);
    /// <summary>A rank-4 Float32 tensor (NHWC images), copied.</summary>
    public static implicit operator Tensor(float[,,,] a) => FromArray(a);
    /// <summary>A rank-4 Float64 tensor (NHWC images), copied.</summary>
    public static implicit operator Tensor(double[,,,] a) => FromArray(a);

    /// <summary>The elements as a span, for reading and writing in place.</summary>
    public Span<T> Span<T>() => _data is T[] a ? a : throw NotOnHost(typeof(T));

    private Exception NotOnHost(Type requested) => _device is not null
        ? new InvalidOperationException($"This {DType} tensor of shape {Shape} is in GPU memory; ToHost() gives a copy on the host.")
        : new InvalidCastException($"This tensor holds {DType}, not {requested.Name}.");

    /// <summary>The elements of a host tensor as a read-only span, without copying; <typeparamref name="T"/> must be the dtype's element type.</summary>
    public ReadOnlySpan<T> ReadOnlySpan<T>() => Span<T>();

    /// <summary>The backing array; kept internal because the backends hand it to BLAS.</summary>
    internal T[] Buffer<T>() => (T[])_data;

    /// <summary>The backing array of a host tensor.</summary>
    internal Array Data => _data ?? throw NotOnHost(DType.ClrType());

    /// <summary>What holds the elements (an array or device memory): equal for a tensor and its views.</summary>
    internal object Storage => (object?)_data ?? _device!;

    /// <summary>The tensor itself when it is on the host, else a copy of it on the host.</summary>
    public Tensor ToHost()
    {
        if (_device is null) return this;
        var host = new Tensor(Shape, DType);
        _device.CopyToHost(HostBytes(host._data, DType));
        return host;
    }

    /// <summary>The bytes of a host array of the given dtype (Bool is one byte per element, as on the device).</summary>
    internal static Span<byte> HostBytes(Array data, DType dtype) => dtype switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(((float[])data).AsSpan()),
        DType.Float64 => MemoryMarshal.AsBytes(((double[])data).AsSpan()),
        DType.Int32 => MemoryMarshal.AsBytes(((int[])data).AsSpan()),
        DType.Bool => MemoryMarshal.AsBytes(((bool[])data).AsSpan()),
        _ => throw new NotSupportedException($"No byte view of {dtype}."),
    };

    /// <summary>A flat copy of the elements.</summary>
    public T[] ToArray<T>() => ToHost().Span<T>().ToArray();

    /// <summary>A copy of a matrix as a .NET two-dimensional array, rows first; fails for any other rank.</summary>
    public T[,] ToArray2D<T>()
    {
        if (Rank != 2) throw new ShapeException($"ToArray2D needs a matrix, this tensor has shape {Shape}.");
        var result = new T[Shape[0], Shape[1]];
        var src = ToHost().Span<T>();
        for (int i = 0; i < Shape[0]; i++)
            for (int j = 0; j < Shape[1]; j++)
                result[i, j] = src[i * Shape[1] + j];
        return result;
    }

    /// <summary>The single value of a tensor with one element.</summary>
    public T Scalar<T>()
    {
        if (Size != 1) throw new ShapeException($"Scalar<{typeof(T).Name}>() needs a tensor with one element, this one has shape {Shape}.");
        return ToHost().Span<T>()[0];
    }

    /// <summary>Element <paramref name="i"/> (flat, row-major) as a double, whatever the dtype; one element is copied from the GPU.</summary>
    public double GetDouble(int i) => _device is not null ? DeviceElement(i) : DType switch
    {
        DType.Float32 => ((float[])_data)[i],
        DType.Float64 => ((double[])_data)[i],
        DType.Int32 => ((int[])_data)[i],
        DType.Bool => ((bool[])_data)[i] ? 1 : 0,
        _ => throw new InvalidOperationException(),
    };

    private double DeviceElement(int i)
    {
        if ((uint)i >= (uint)Size) throw new IndexOutOfRangeException($"Element {i} of a tensor of shape {Shape}.");
        // Into the stack: reading one element must not allocate a host copy of the tensor.
        Span<byte> element = stackalloc byte[sizeof(double)];
        element = element[..DType.ByteSize()];
        _device!.CopyToHost(element, (long)i * element.Length);
        return DType switch
        {
            DType.Float32 => MemoryMarshal.Read<float>(element),
            DType.Float64 => MemoryMarshal.Read<double>(element),
            DType.Int32 => MemoryMarshal.Read<int>(element),
            _ => element[0] != 0 ? 1 : 0,
        };
    }

    /// <summary>Sets element <paramref name="i"/> (flat, row-major) of a host tensor from a double, converted to the dtype (Bool: nonzero is true).</summary>
    public void SetDouble(int i, double v)
    {
        if (_device is not null) throw NotOnHost(DType.ClrType());
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
        if (_device is not null) return ToHost().ToDoubles();
        var r = new double[Size];
        for (int i = 0; i < r.Length; i++) r[i] = GetDouble(i);
        return r;
    }

    /// <summary>The value of a one-element tensor as a float: <c>(float)sess.Run(loss)</c>.</summary>
    public static explicit operator float(Tensor t) => (float)t.ScalarAsDouble();
    /// <summary>The value of a one-element tensor as a double, whatever its dtype.</summary>
    public static explicit operator double(Tensor t) => t.ScalarAsDouble();
    /// <summary>The value of a one-element tensor as an int (truncated, as a cast is): a step count, an accuracy's numerator.</summary>
    public static explicit operator int(Tensor t) => (int)t.ScalarAsDouble();

    private double ScalarAsDouble()
    {
        if (Size != 1) throw new ShapeException($"Only a tensor with one element converts to a number, this one has shape {Shape}.");
        return GetDouble(0);
    }

    /// <summary>A copy in the same place: a host copy of a host tensor, a device copy of a device tensor.</summary>
    public Tensor Clone()
    {
        if (_device is null) return new(Shape, DType, (Array)_data.Clone());
        var copy = new Tensor(Shape, DType, _device.AllocateLike());
        copy._device!.CopyFrom(_device);
        return copy;
    }

    /// <summary>The same elements under another shape of equal size (shares the data).</summary>
    public Tensor Reshaped(Shape shape)
    {
        if (!shape.IsFullyDefined || shape.Size != Size)
            throw new ShapeException($"Cannot view a tensor of shape {Shape} ({Size} elements) as {shape}.");
        var view = _device is null ? new Tensor(shape, DType, _data) : new Tensor(shape, DType, _device);
        view._viewedFrom = Shape;
        return view;
    }

    // The shape of the tensor this one is a view of: with the storage, it tells a view op that the view
    // it made in the previous run still holds, so a steady-state run makes no new one.
    private Shape? _viewedFrom;

    /// <summary>True when this tensor is a <see cref="Reshaped"/> view of <paramref name="source"/> as it is now.</summary>
    internal bool IsViewOf(Tensor source) => ReferenceEquals(Storage, source.Storage) && _viewedFrom == source.Shape;

    /// <summary>Copies the elements of <paramref name="source"/> (same dtype and size) into this tensor, wherever either lives.</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.DType != DType || source.Size != Size)
            throw new ShapeException($"Cannot copy a {source.DType} tensor of shape {source.Shape} into a {DType} tensor of shape {Shape}.");
        switch (source._device, _device)
        {
            case (null, null): System.Array.Copy(source._data, _data, Size); break;
            case (null, { } to): to.CopyFromHost(HostBytes(source._data, DType)); break;
            case ({ } from, null): from.CopyToHost(HostBytes(_data, DType)); break;
            case ({ } from, { } to): to.CopyFrom(from); break;
        }
    }

    /// <summary>NumPy-style text, eliding the middle of long axes.</summary>
    public override string ToString()
    {
        if (_device is not null) return ToHost().ToString();
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
