namespace GraphDL.Summaries;

/// <summary>What a node is for, as graph.json records it and the board colours it.</summary>
public enum NodeKind
{
    /// <summary>A placeholder fed at run time.</summary>
    Placeholder,
    /// <summary>A model variable (an optimizer's slots are <see cref="Optimizer"/>).</summary>
    Variable,
    /// <summary>A constant.</summary>
    Constant,
    /// <summary>Any other node of the model.</summary>
    Op,
    /// <summary>A node the gradient builder made (<see cref="Node.IsGradient"/>).</summary>
    Gradient,
    /// <summary>A node an optimizer made to update variables: assignments, slots, fused Apply ops (<see cref="Node.IsOptimizerUpdate"/>).</summary>
    Optimizer,
    /// <summary>A summary op.</summary>
    Summary,
}

/// <summary>Tells a node's kind from the marks the graph gives it, not from its name.</summary>
public static class NodeKinds
{
    /// <summary>
    /// The node's kind. A summary is a summary wherever it was built; a gradient builder's or optimizer's node is theirs
    /// even when it is a constant or a variable (an optimizer's slot), since that is what a reader of the graph asks.
    /// </summary>
    public static NodeKind KindOf(Node node) => node.Op switch
    {
        SummaryOp => NodeKind.Summary,
        _ when node.IsGradient => NodeKind.Gradient,
        _ when node.IsOptimizerUpdate => NodeKind.Optimizer,
        Placeholder => NodeKind.Placeholder,
        VariableOp => NodeKind.Variable,
        Const => NodeKind.Constant,
        _ => NodeKind.Op,
    };
}
