using System.Collections;
using System.Runtime.CompilerServices;

namespace GraphDL.Keras;

/// <summary>
/// The data of a model's inputs or outputs, one tensor for each, in <see cref="Model.Inputs"/> (or
/// <see cref="Model.Outputs"/>) order, as Keras's <c>fit(x, y)</c> takes a NumPy array or a list of them. A single
/// tensor converts to it, and so does a list: <c>model.Fit([xa, xb], y)</c> for a model with two inputs.
/// </summary>
[CollectionBuilder(typeof(TensorList), nameof(Create))]
public readonly struct TensorList : IReadOnlyList<Tensor>
{
    private readonly Tensor[] _tensors;

    private TensorList(Tensor[] tensors)
    {
        foreach (var t in tensors) ArgumentNullException.ThrowIfNull(t, nameof(tensors));
        _tensors = tensors;
    }

    /// <summary>The list of <paramref name="tensors"/>: what a collection expression <c>[xa, xb]</c> makes.</summary>
    public static TensorList Create(ReadOnlySpan<Tensor> tensors) => new(tensors.ToArray());

    /// <summary>One tensor, for a model with one input (or output).</summary>
    public static implicit operator TensorList(Tensor tensor) => new([tensor]);

    /// <summary>One tensor per input (or output).</summary>
    public static implicit operator TensorList(Tensor[] tensors) => new([.. tensors]);

    /// <summary>A vector, one example per element.</summary>
    public static implicit operator TensorList(float[] data) => new([data]);

    /// <summary>A vector, one example per element.</summary>
    public static implicit operator TensorList(double[] data) => new([data]);

    /// <summary>A vector of ids or labels, one per example.</summary>
    public static implicit operator TensorList(int[] data) => new([data]);

    /// <summary>A matrix, one example per row.</summary>
    public static implicit operator TensorList(float[,] data) => new([data]);

    /// <summary>A matrix, one example per row.</summary>
    public static implicit operator TensorList(double[,] data) => new([data]);

    /// <summary>A matrix of ids, one example per row.</summary>
    public static implicit operator TensorList(int[,] data) => new([data]);

    /// <summary>A rank-3 array, one example per first index.</summary>
    public static implicit operator TensorList(float[,,] data) => new([data]);

    /// <summary>A rank-3 array, one example per first index.</summary>
    public static implicit operator TensorList(double[,,] data) => new([data]);

    /// <summary>A rank-4 array, one example per first index.</summary>
    public static implicit operator TensorList(float[,,,] data) => new([data]);

    /// <summary>A rank-4 array, one example per first index.</summary>
    public static implicit operator TensorList(double[,,,] data) => new([data]);

    /// <summary>The tensor for input (or output) <paramref name="index"/>.</summary>
    public Tensor this[int index] => (_tensors ?? [])[index];

    /// <summary>How many tensors: one per input (or output).</summary>
    public int Count => _tensors?.Length ?? 0;

    /// <summary>The tensors in order.</summary>
    public IEnumerator<Tensor> GetEnumerator() => ((IEnumerable<Tensor>)(_tensors ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
