using System.Collections;

namespace GraphDL;

/// <summary>
/// The dimensions of a tensor. A dimension of -1 is unknown until run time (TF's None), written "?".
/// Shapes are immutable and compare by value.
/// </summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    /// <summary>The value of a dimension not known until run time (TF's None), printed "?".</summary>
    public const int Unknown = -1;

    private readonly int[] _dims;

    /// <summary>A shape from its dimensions, outermost first: <c>new Shape(-1, 784)</c> is a batch of 784-vectors; no dimensions is a scalar.</summary>
    public Shape(params int[] dims)
    {
        foreach (int d in dims)
            if (d < Unknown)
                throw new ShapeException($"A dimension must be -1 (unknown) or non-negative, got {d} in ({string.Join(", ", dims)}).");
        _dims = (int[])dims.Clone();
    }

    /// <summary>A shape from a span of dimensions (copied).</summary>
    public Shape(ReadOnlySpan<int> dims) : this(dims.ToArray()) { }

    /// <summary>The shape of a scalar: rank 0, one element, printed "()".</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>The number of dimensions (0 for a scalar, 2 for a matrix).</summary>
    public int Rank => _dims.Length;

    /// <summary>The number of dimensions, as <see cref="IReadOnlyList{T}"/> counts them; the same as <see cref="Rank"/>.</summary>
    public int Count => _dims.Length;

    /// <summary>The size of dimension <paramref name="axis"/>; a negative axis counts from the end, as in NumPy (-1 is the last).</summary>
    public int this[int axis] => _dims[axis < 0 ? axis + _dims.Length : axis];

    /// <summary>The dimensions, outermost first, -1 for unknown ones.</summary>
    public ReadOnlySpan<int> Dims => _dims;

    /// <summary>True when no dimension is unknown, so <see cref="Size"/> is defined; a tensor's shape always is.</summary>
    public bool IsFullyDefined => Array.IndexOf(_dims, Unknown) < 0;

    /// <summary>The number of elements. Only defined when every dimension is known.</summary>
    public int Size
    {
        get
        {
            if (!IsFullyDefined) throw new ShapeException($"Shape {this} has unknown dimensions, so its size is not known before run time.");
            // Checked as it grows: four dimensions of 65,536 multiply to 2^64, which a long would wrap to 0. A zero
            // anywhere makes it empty however large the others are, so it is looked for first.
            if (Array.IndexOf(_dims, 0) >= 0) return 0;
            long n = 1;
            foreach (int d in _dims)
            {
                n *= d;
                if (n > Array.MaxLength) throw new ShapeException($"Shape {this} holds {ElementCount()} elements, more than one tensor can ({Array.MaxLength:N0}).");
            }
            return (int)n;
        }
    }

    /// <summary>The exact number of elements, however large, for messages.</summary>
    private System.Numerics.BigInteger ElementCount() =>
        _dims.Aggregate(System.Numerics.BigInteger.One, (n, d) => n * d);

    /// <summary>Product of the dimensions in [from, to).</summary>
    public int SizeOf(int from, int to)
    {
        int n = 1;
        for (int i = from; i < to; i++) n *= _dims[i];
        return n;
    }

    /// <summary>A copy of the dimensions as an array.</summary>
    public int[] ToArray() => (int[])_dims.Clone();

    /// <summary>True when both shapes could describe the same tensor: same rank, and each pair of dims equal or unknown.</summary>
    public bool IsCompatibleWith(Shape other)
    {
        if (Rank != other.Rank) return false;
        for (int i = 0; i < Rank; i++)
            if (_dims[i] != Unknown && other._dims[i] != Unknown && _dims[i] != other._dims[i]) return false;
        return true;
    }

    /// <summary>Turns a possibly negative axis into 0..rank-1, or fails naming the axis and the shape.</summary>
    public int NormalizeAxis(int axis, int? rank = null)
    {
        int r = rank ?? Rank;
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a >= r) throw new ShapeException($"Axis {axis} is out of range for a tensor of shape {this} (rank {Rank}).");
        return a;
    }

    /// <summary>Turns axes into distinct, sorted values in 0..rank-1; null means every axis (what a reduction without axes reduces).</summary>
    public int[] NormalizeAxes(IEnumerable<int>? axes)
    {
        if (axes is null) return Enumerable.Range(0, Rank).ToArray();
        var result = axes.Select(a => NormalizeAxis(a)).Distinct().Order().ToArray();
        return result;
    }

    /// <summary>NumPy broadcasting: align trailing dims; each pair must be equal or contain a 1.</summary>
    public static Shape Broadcast(Shape a, Shape b)
    {
        if (a.Equals(b)) return a;
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a._dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b._dims[i - (rank - b.Rank)];
            dims[i] = (da, db) switch
            {
                _ when da == db => da,
                (1, _) => db,
                (_, 1) => da,
                (Unknown, _) => db,
                (_, Unknown) => da,
                _ => throw new ShapeException($"Shapes {a} and {b} cannot be broadcast together: dimension {da} does not match {db}."),
            };
        }
        return new Shape(dims);
    }

    /// <summary>
    /// The result shape of a matrix product over the last two axes: (..., m, k) × (..., k, n) gives (..., m, n),
    /// checking that the inner dimensions agree. The leading (batch) axes broadcast against each other as
    /// tf.linalg.matmul's do, so a (k, n) matrix multiplies every matrix of a (b, m, k) batch.
    /// </summary>
    public static Shape MatMul(Shape a, Shape b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ShapeException($"MatMul needs matrices or batches of them (rank 2 or more), got shapes {a} and {b}.");
        int m = transposeA ? a[-1] : a[-2], ka = transposeA ? a[-2] : a[-1];
        int kb = transposeB ? b[-1] : b[-2], n = transposeB ? b[-2] : b[-1];
        if (ka != Unknown && kb != Unknown && ka != kb)
            throw new ShapeException(
                $"MatMul shapes {a}{(transposeA ? "ᵀ" : "")} and {b}{(transposeB ? "ᵀ" : "")} are incompatible: inner dimensions {ka} and {kb} differ.");
        if (a.Rank == 2 && b.Rank == 2) return new Shape(m, n);
        Shape batch;
        try
        {
            batch = Broadcast(new Shape(a._dims.AsSpan(0, a.Rank - 2)), new Shape(b._dims.AsSpan(0, b.Rank - 2)));
        }
        catch (ShapeException)
        {
            throw new ShapeException($"MatMul shapes {a} and {b} are incompatible: their batch dimensions do not broadcast together.");
        }
        return new Shape([.. batch._dims, m, n]);
    }

    /// <summary>A copy of this shape with dimension <paramref name="axis"/> set to <paramref name="value"/> (a negative axis counts from the end).</summary>
    public Shape WithDim(int axis, int value)
    {
        var d = ToArray();
        d[NormalizeAxis(axis)] = value;
        return new Shape(d);
    }

    /// <summary>True when both shapes have the same dimensions; unknown dimensions are equal only to unknown ones (see <see cref="IsCompatibleWith"/>).</summary>
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Value equality, as <see cref="Equals(Shape?)"/>; two nulls are equal.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    /// <summary>Value inequality, as <see cref="Equals(Shape?)"/>.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Lets an array stand for a shape: <c>g.Reshape(x, [-1, 28, 28, 1])</c>.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <summary>NumPy's notation with "?" for unknown dimensions: "(?, 784)", "(3,)" for a vector, "()" for a scalar.</summary>
    public override string ToString() =>
        Rank == 1 ? $"({Dim(_dims[0])},)" : "(" + string.Join(", ", _dims.Select(Dim)) + ")";

    private static string Dim(int d) => d == Unknown ? "?" : d.ToString();

    /// <summary>The dimensions, outermost first.</summary>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();
}

/// <summary>A shape that does not fit where it is used; the message names the shapes.</summary>
public class ShapeException(string message) : ArgumentException(message);
