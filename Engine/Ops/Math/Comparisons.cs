namespace GraphDL;

// The six comparisons differ only in their function, so they share this file. All are Bool-valued and
// have no gradient: a Bool tensor carries none, so the gradient builder never follows a path through one, and a
// loss that depends on the variables only through a comparison fails with "No gradient defined" naming it.

/// <summary>y = (a == b), broadcasting.</summary>
public sealed class Equal : ComparisonOp
{
    /// <inheritdoc/>
    protected override CompareFn Fn => CompareFn.Equal;
}

/// <summary>y = (a != b), broadcasting.</summary>
public sealed class NotEqual : ComparisonOp
{
    /// <inheritdoc/>
    protected override CompareFn Fn => CompareFn.NotEqual;
}

/// <summary>y = (a &lt; b), broadcasting.</summary>
public sealed class Less : ComparisonOp
{
    /// <inheritdoc/>
    protected override CompareFn Fn => CompareFn.Less;
}

/// <summary>y = (a &lt;= b), broadcasting.</summary>
public sealed class LessEqual : ComparisonOp
{
    /// <inheritdoc/>
    protected override CompareFn Fn => CompareFn.LessEqual;
}

/// <summary>y = (a &gt; b), broadcasting.</summary>
public sealed class Greater : ComparisonOp
{
    /// <inheritdoc/>
    protected override CompareFn Fn => CompareFn.Greater;
}

/// <summary>y = (a &gt;= b), broadcasting.</summary>
public sealed class GreaterEqual : ComparisonOp
{
    /// <inheritdoc/>
    protected override CompareFn Fn => CompareFn.GreaterEqual;
}

public abstract partial class GraphBuilder
{
    /// <summary>a == b elementwise with broadcasting, as Bool (tf.equal): <c>g.Equal(g.ArgMax(yHat, 1), g.ArgMax(y, 1))</c> for accuracy.</summary>
    public Output Equal(Output a, Output b, string? name = null) => AddOp(new Equal(), [a, b], name);
    /// <summary>a != b elementwise with broadcasting, as Bool (tf.not_equal).</summary>
    public Output NotEqual(Output a, Output b, string? name = null) => AddOp(new NotEqual(), [a, b], name);
    /// <summary>a &lt; b elementwise with broadcasting, as Bool (tf.less).</summary>
    public Output Less(Output a, Output b, string? name = null) => AddOp(new Less(), [a, b], name);
    /// <summary>a &lt;= b elementwise with broadcasting, as Bool (tf.less_equal).</summary>
    public Output LessEqual(Output a, Output b, string? name = null) => AddOp(new LessEqual(), [a, b], name);
    /// <summary>a &gt; b elementwise with broadcasting, as Bool (tf.greater).</summary>
    public Output Greater(Output a, Output b, string? name = null) => AddOp(new Greater(), [a, b], name);
    /// <summary>a &gt;= b elementwise with broadcasting, as Bool (tf.greater_equal).</summary>
    public Output GreaterEqual(Output a, Output b, string? name = null) => AddOp(new GreaterEqual(), [a, b], name);
}
