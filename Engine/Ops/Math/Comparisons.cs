namespace GraphDL;

// The six comparisons differ only in their function, so they share this file. All are Bool-valued and
// have no gradient: a loss that depends on one through a Cast fails with "No gradient defined".

/// <summary>y = (a == b), broadcasting.</summary>
public sealed class Equal : ComparisonOp { protected override CompareFn Fn => CompareFn.Equal; }

/// <summary>y = (a != b), broadcasting.</summary>
public sealed class NotEqual : ComparisonOp { protected override CompareFn Fn => CompareFn.NotEqual; }

/// <summary>y = (a &lt; b), broadcasting.</summary>
public sealed class Less : ComparisonOp { protected override CompareFn Fn => CompareFn.Less; }

/// <summary>y = (a &lt;= b), broadcasting.</summary>
public sealed class LessEqual : ComparisonOp { protected override CompareFn Fn => CompareFn.LessEqual; }

/// <summary>y = (a &gt; b), broadcasting.</summary>
public sealed class Greater : ComparisonOp { protected override CompareFn Fn => CompareFn.Greater; }

/// <summary>y = (a &gt;= b), broadcasting.</summary>
public sealed class GreaterEqual : ComparisonOp { protected override CompareFn Fn => CompareFn.GreaterEqual; }

public abstract partial class GraphBuilder
{
    public Output Equal(Output a, Output b, string? name = null) => AddOp(new Equal(), [a, b], name);
    public Output NotEqual(Output a, Output b, string? name = null) => AddOp(new NotEqual(), [a, b], name);
    public Output Less(Output a, Output b, string? name = null) => AddOp(new Less(), [a, b], name);
    public Output LessEqual(Output a, Output b, string? name = null) => AddOp(new LessEqual(), [a, b], name);
    public Output Greater(Output a, Output b, string? name = null) => AddOp(new Greater(), [a, b], name);
    public Output GreaterEqual(Output a, Output b, string? name = null) => AddOp(new GreaterEqual(), [a, b], name);
}
