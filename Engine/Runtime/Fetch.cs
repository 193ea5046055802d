namespace GraphDL;

/// <summary>Something to fetch: a tensor (an <see cref="Output"/>) or an operation run for its effect (a <see cref="Node"/>).</summary>
public readonly record struct Fetch(Node Node, int Index)
{
    public bool IsOperation => Index < 0;

    public static implicit operator Fetch(Output output) => new(output.Node, output.Index);

    public static implicit operator Fetch(Node operation) => new(operation, -1);

    public override string ToString() => IsOperation ? $"operation '{Node.Name}'" : $"'{new Output(Node, Index).Name}'";
}

/// <summary>The values for placeholders (or any tensor) in one run: <c>new() { [x] = batchX, [y] = batchY }</c>.</summary>
public sealed class FeedDict : Dictionary<Output, Tensor>;

/// <summary>The fetched values of one run, in fetch order; an operation's entry has no value.</summary>
public sealed class RunResult(IReadOnlyList<Fetch> fetches, Tensor?[] values) : IReadOnlyList<Tensor>
{
    public int Count => values.Length;

    public Tensor this[int index] => values[index] ??
        throw new InvalidOperationException($"Fetch {index} is {fetches[index]}, which has no value.");

    public IEnumerator<Tensor> GetEnumerator() => values.Where(v => v is not null).Select(v => v!).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
