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

    /// <summary>The shape of each draw, fully known.</summary>
    public required Shape Shape { get; init; }

    /// <summary>The dtype of the numbers (Float32 by default).</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>What the numbers are drawn from.</summary>
    public Distribution Distribution { get; init; }

    /// <summary>The uniform's lower bound, or the normal's mean.</summary>
    public double A { get; init; }

    /// <summary>The uniform's upper bound (excluded), or the normal's standard deviation.</summary>
    public double B { get; init; } = 1;

    /// <summary>The op-level seed (TF1's seed argument): with it or the graph's seed the numbers are reproducible; with neither, every session draws differently.</summary>
    public int? Seed { get; init; }

    /// <inheritdoc/>
    public override string TypeName => Distribution switch
    {
        Distribution.Uniform => "RandomUniform",
        Distribution.Normal => "RandomNormal",
        _ => "TruncatedNormal",
    };

    /// <inheritdoc/>
    public override Shape OutputShape => Shape;

    /// <inheritdoc/>
    public override DType OutputDType => DType;

    /// <inheritdoc/>
    public override bool IsStateful => true;

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    private Node _node = null!;

    /// <inheritdoc/>
    protected internal override void OnAdded(Node node) => _node = node;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        Draw(ctx.Session.RandomStream(_node, Seed), Distribution, A, B, y[0]);

    internal static void Draw(RandomStream rng, Distribution distribution, double a, double b, Tensor y)
    {
        lock (rng) DrawInto(rng, distribution, a, b, y);   // concurrent runs of a session share the node's stream
    }

    private static void DrawInto(RandomStream rng, Distribution distribution, double a, double b, Tensor y)
    {
        // Straight into the typed array: through SetDouble, which checks where the tensor lives and switches on its
        // dtype for every element, a dropout mask's numbers cost twice what the generator does.
        switch (y.DType)
        {
            case DType.Float32:
                var floats = y.Span<float>();
                for (int i = 0; i < floats.Length; i++) floats[i] = (float)Next(rng, distribution, a, b);
                break;
            case DType.Float64:
                var doubles = y.Span<double>();
                for (int i = 0; i < doubles.Length; i++) doubles[i] = Next(rng, distribution, a, b);
                break;
            default:
                for (int i = 0; i < y.Size; i++) y.SetDouble(i, Next(rng, distribution, a, b));
                break;
        }
    }

    private static double Next(RandomStream rng, Distribution distribution, double a, double b) => distribution switch
    {
        Distribution.Uniform => a + (b - a) * rng.NextDouble(),
        Distribution.Normal => a + b * StandardNormal(rng),
        _ => a + b * TruncatedStandardNormal(rng),
    };

    /// <summary>Box–Muller; 1 - NextDouble() is in (0, 1], so the log is finite.</summary>
    private static double StandardNormal(RandomStream rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());

    private static double TruncatedStandardNormal(RandomStream rng)
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

    /// <summary>The op-level seed: with it or the graph's seed the numbers are reproducible; with neither, every session draws differently.</summary>
    public int? Seed { get; init; }

    /// <inheritdoc/>
    public override bool IsStateful => true;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    private Node _node = null!;

    /// <inheritdoc/>
    protected internal override void OnAdded(Node node) => _node = node;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        RandomOp.Draw(ctx.Session.RandomStream(_node, Seed), Distribution.Uniform, 0, 1, y[0]);

    /// <summary>The numbers do not depend on x's values.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null];
}

public abstract partial class GraphBuilder
{
    /// <summary>Fresh normal numbers on every run (tf.random_normal), reproducible with the graph's and the op's seed.</summary>
    public Output RandomNormal(Shape shape, double mean = 0, double stddev = 1, DType dtype = DType.Float32, int? seed = null, string? name = null) =>
        AddOp(new RandomOp { Shape = shape, DType = dtype, Distribution = Distribution.Normal, A = mean, B = stddev, Seed = seed }, [], name);

    /// <summary>Fresh normal numbers on every run, redrawn until within two standard deviations of the mean (tf.truncated_normal).</summary>
    public Output TruncatedNormal(Shape shape, double mean = 0, double stddev = 1, DType dtype = DType.Float32, int? seed = null, string? name = null) =>
        AddOp(new RandomOp { Shape = shape, DType = dtype, Distribution = Distribution.TruncatedNormal, A = mean, B = stddev, Seed = seed }, [], name);

    /// <summary>Fresh numbers uniform on [minval, maxval) on every run (tf.random_uniform).</summary>
    public Output RandomUniform(Shape shape, double minval = 0, double maxval = 1, DType dtype = DType.Float32, int? seed = null, string? name = null) =>
        AddOp(new RandomOp { Shape = shape, DType = dtype, Distribution = Distribution.Uniform, A = minval, B = maxval, Seed = seed }, [], name);

    /// <summary>Fresh numbers uniform on [0, 1) of x's run-time shape and dtype on every run; x's values are not read. Dropout's mask comes from it.</summary>
    public Output RandomUniformLike(Output x, int? seed = null, string? name = null) =>
        AddOp(new RandomUniformLike { Seed = seed }, [x], name);
}
