namespace GraphDL;

/// <summary>The distributions the random ops draw from.</summary>
public enum Distribution
{
    /// <summary>Uniform on [A, B).</summary>
    Uniform,
    /// <summary>Normal with mean A and standard deviation B.</summary>
    Normal,
    /// <summary>Normal with mean A and standard deviation B, redrawn until within two standard deviations (TF's truncated_normal).</summary>
    TruncatedNormal,
}

/// <summary>
/// Fresh random numbers on every run, from a stream per node that the graph and op seeds make reproducible.
/// Drawn on the host: the numbers are the same whichever backend runs the graph.
/// </summary>
public sealed class RandomOp : SourceOp
{
    /// <summary>Drawn on the host, so the numbers are the same whichever backend runs the graph.</summary>
    public override bool RunsOnHost => true;

    public required Shape Shape { get; init; }

    public DType DType { get; init; } = DType.Float32;

    public Distribution Distribution { get; init; }

    public double A { get; init; }

    public double B { get; init; } = 1;

    public int? Seed { get; init; }

    public override string TypeName => Distribution switch
    {
        Distribution.Uniform => "RandomUniform",
        Distribution.Normal => "RandomNormal",
        _ => "TruncatedNormal",
    };

    public override Shape OutputShape => Shape;

    public override DType OutputDType => DType;

    public override bool IsStateful => true;

    public override bool IsDifferentiable => false;

    private Node _node = null!;

    protected internal override void OnAdded(Node node) => _node = node;

    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        Draw(ctx.Session.RandomStream(_node, Seed), Distribution, A, B, y[0]);

    internal static void Draw(Random rng, Distribution distribution, double a, double b, Tensor y)
    {
        lock (rng) DrawInto(rng, distribution, a, b, y);   // concurrent runs of a session share the node's stream
    }

    private static void DrawInto(Random rng, Distribution distribution, double a, double b, Tensor y)
    {
        for (int i = 0; i < y.Size; i++)
        {
            double v = distribution switch
            {
                Distribution.Uniform => a + (b - a) * rng.NextDouble(),
                Distribution.Normal => a + b * StandardNormal(rng),
                _ => a + b * TruncatedStandardNormal(rng),
            };
            y.SetDouble(i, v);
        }
    }

    /// <summary>Box–Muller; 1 - NextDouble() is in (0, 1], so the log is finite.</summary>
    private static double StandardNormal(Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());

    private static double TruncatedStandardNormal(Random rng)
    {
        double v;
        do v = StandardNormal(rng); while (Math.Abs(v) > 2.0);
        return v;
    }
}

/// <summary>Uniform [0, 1) numbers of x's run-time shape (x's values are not read): the mask source of dropout.</summary>
public sealed class RandomUniformLike : Op
{
    /// <summary>Drawn on the host, so the numbers are the same whichever backend runs the graph.</summary>
    public override bool RunsOnHost => true;

    public int? Seed { get; init; }

    public override bool IsStateful => true;

    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    private Node _node = null!;

    protected internal override void OnAdded(Node node) => _node = node;

    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        RandomOp.Draw(ctx.Session.RandomStream(_node, Seed), Distribution.Uniform, 0, 1, y[0]);

    /// <summary>The numbers do not depend on x's values.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null];
}

public abstract partial class GraphBuilder
{
    public Output RandomNormal(Shape shape, double mean = 0, double stddev = 1, DType dtype = DType.Float32, int? seed = null, string? name = null) =>
        AddOp(new RandomOp { Shape = shape, DType = dtype, Distribution = Distribution.Normal, A = mean, B = stddev, Seed = seed }, [], name);

    public Output TruncatedNormal(Shape shape, double mean = 0, double stddev = 1, DType dtype = DType.Float32, int? seed = null, string? name = null) =>
        AddOp(new RandomOp { Shape = shape, DType = dtype, Distribution = Distribution.TruncatedNormal, A = mean, B = stddev, Seed = seed }, [], name);

    public Output RandomUniform(Shape shape, double minval = 0, double maxval = 1, DType dtype = DType.Float32, int? seed = null, string? name = null) =>
        AddOp(new RandomOp { Shape = shape, DType = dtype, Distribution = Distribution.Uniform, A = minval, B = maxval, Seed = seed }, [], name);

    public Output RandomUniformLike(Output x, int? seed = null, string? name = null) =>
        AddOp(new RandomUniformLike { Seed = seed }, [x], name);
}
