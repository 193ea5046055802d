namespace GraphDL;

/// <summary>
/// One output of a node: the symbolic tensor that ops consume and sessions fetch (TF1's tf.Tensor).
/// Arithmetic operators add nodes to the output's graph.
/// </summary>
public readonly record struct Output(Node Node, int Index)
{
    public Graph Graph => Node.Graph;

    public Shape Shape => Node.OutputShapes[Index];

    public DType DType => Node.OutputDTypes[Index];

    /// <summary>"MatMul" for the first output, "Split:1" for the others.</summary>
    public string Name => Index == 0 ? Node.Name : $"{Node.Name}:{Index}";

    public override string ToString() => $"'{Name}' {DType} {Shape}";

    public static Output operator +(Output a, Output b) => a.Graph.Add(a, b);
    public static Output operator -(Output a, Output b) => a.Graph.Sub(a, b);
    public static Output operator *(Output a, Output b) => a.Graph.Mul(a, b);
    public static Output operator /(Output a, Output b) => a.Graph.Div(a, b);
    public static Output operator -(Output a) => a.Graph.Neg(a);

    public static Output operator +(Output a, double b) => a + a.Graph.ScalarLike(b, a);
    public static Output operator +(double a, Output b) => b.Graph.ScalarLike(a, b) + b;
    public static Output operator -(Output a, double b) => a - a.Graph.ScalarLike(b, a);
    public static Output operator -(double a, Output b) => b.Graph.ScalarLike(a, b) - b;
    public static Output operator *(Output a, double b) => a * a.Graph.ScalarLike(b, a);
    public static Output operator *(double a, Output b) => b.Graph.ScalarLike(a, b) * b;
    public static Output operator /(Output a, double b) => a / a.Graph.ScalarLike(b, a);
    public static Output operator /(double a, Output b) => b.Graph.ScalarLike(a, b) / b;
}
