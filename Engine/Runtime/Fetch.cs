namespace GraphDL;

/// <summary>Something to fetch: a tensor (an <see cref="Output"/>) or an operation run for its effect (a <see cref="Node"/>).</summary>
public readonly record struct Fetch(Node Node, int Index)
{
    /// <summary>True for a node fetched for its effect (an optimizer's step, an initializer), whose result has no value.</summary>
    public bool IsOperation => Index < 0;

    /// <summary>Fetches the value of a tensor.</summary>
    public static implicit operator Fetch(Output output) => new(output.Node, output.Index);

    /// <summary>Runs an operation for its effect (TF1's fetching a tf.Operation): <c>sess.Run([train, loss])</c>.</summary>
    public static implicit operator Fetch(Node operation) => new(operation, -1);

    /// <summary>"'loss'" for a tensor, "operation 'train'" for an operation, as error messages name fetches.</summary>
    public override string ToString() => IsOperation ? $"operation '{Node.Name}'" : $"'{new Output(Node, Index).Name}'";
}

/// <summary>The values for placeholders (or any tensor) in one run: <c>new() { [x] = batchX, [y] = batchY }</c>.</summary>
public sealed class FeedDict : Dictionary<Output, Tensor>;

/// <summary>The fetched values of one run, in fetch order; an operation's entry has no value.</summary>
public sealed class RunResult(IReadOnlyList<Fetch> fetches, Tensor?[] values) : IReadOnlyList<Tensor>
{
    /// <summary>The number of fetches, operations included.</summary>
    public int Count => values.Length;

    /// <summary>The value of fetch <paramref name="index"/>; an operation's entry has none and says so.</summary>
    public Tensor this[int index] => values[index] ??
        throw new InvalidOperationException($"Fetch {index} is {fetches[index]}, which has no value.");

    /// <summary>The fetched values in fetch order, skipping operations.</summary>
    public IEnumerator<Tensor> GetEnumerator() => values.Where(v => v is not null).Select(v => v!).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
