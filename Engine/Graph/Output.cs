namespace GraphDL;

/// <summary>
/// One output of a node: the symbolic tensor that ops consume and sessions fetch (TF1's tf.Tensor).
/// Arithmetic operators add nodes to the output's graph.
/// </summary>
public readonly record struct Output(Node Node, int Index)
{
    /// <summary>The graph of the node that produces this output.</summary>
    public Graph Graph => Node.Graph;

    /// <summary>The statically inferred shape; unknown dimensions are -1 ("?").</summary>
    public Shape Shape => Node.OutputShapes[Index];

    /// <summary>The element type.</summary>
    public DType DType => Node.OutputDTypes[Index];

    /// <summary>"MatMul" for the first output, "Split:1" for the others.</summary>
    public string Name => Index == 0 ? Node.Name : $"{Node.Name}:{Index}";

    /// <summary>"'x' Float32 (?, 784)": name, dtype and shape, as error messages print operands.</summary>
    public override string ToString() => $"'{Name}' {DType} {Shape}";

    /// <summary>a + b with broadcasting: a new <see cref="GraphBuilder.Add"/> node in the operands' graph.</summary>
    public static Output operator +(Output a, Output b) => a.Graph.Add(a, b);
    /// <summary>a - b with broadcasting: a new <see cref="GraphBuilder.Sub"/> node.</summary>
    public static Output operator -(Output a, Output b) => a.Graph.Sub(a, b);
    /// <summary>Elementwise a * b with broadcasting (not a matrix product: that is <see cref="GraphBuilder.MatMul"/>).</summary>
    public static Output operator *(Output a, Output b) => a.Graph.Mul(a, b);
    /// <summary>Elementwise a / b with broadcasting: a new <see cref="GraphBuilder.Div"/> node.</summary>
    public static Output operator /(Output a, Output b) => a.Graph.Div(a, b);
    /// <summary>-a: a new <see cref="GraphBuilder.Neg"/> node.</summary>
    public static Output operator -(Output a) => a.Graph.Neg(a);

    /// <summary>a + b, the number becoming a scalar constant of a's dtype, so <c>x + 1</c> stays Float32.</summary>
    public static Output operator +(Output a, double b) => a.Graph.AllOrNothing(() => a + a.Graph.ScalarLike(b, a));
    /// <summary>a + b, the number becoming a scalar constant of b's dtype.</summary>
    public static Output operator +(double a, Output b) => b.Graph.AllOrNothing(() => b.Graph.ScalarLike(a, b) + b);
    /// <summary>a - b, the number becoming a scalar constant of a's dtype.</summary>
    public static Output operator -(Output a, double b) => a.Graph.AllOrNothing(() => a - a.Graph.ScalarLike(b, a));
    /// <summary>a - b, the number becoming a scalar constant of b's dtype: <c>1 - y</c> in Sigmoid's gradient.</summary>
    public static Output operator -(double a, Output b) => b.Graph.AllOrNothing(() => b.Graph.ScalarLike(a, b) - b);
    /// <summary>a * b, the number becoming a scalar constant of a's dtype.</summary>
    public static Output operator *(Output a, double b) => a.Graph.AllOrNothing(() => a * a.Graph.ScalarLike(b, a));
    /// <summary>a * b, the number becoming a scalar constant of b's dtype: <c>0.5 * g.Square(x)</c>.</summary>
    public static Output operator *(double a, Output b) => b.Graph.AllOrNothing(() => b.Graph.ScalarLike(a, b) * b);
    /// <summary>a / b, the number becoming a scalar constant of a's dtype.</summary>
    public static Output operator /(Output a, double b) => a.Graph.AllOrNothing(() => a / a.Graph.ScalarLike(b, a));
    /// <summary>a / b, the number becoming a scalar constant of b's dtype: <c>1 / x</c>.</summary>
    public static Output operator /(double a, Output b) => b.Graph.AllOrNothing(() => b.Graph.ScalarLike(a, b) / b);
}
