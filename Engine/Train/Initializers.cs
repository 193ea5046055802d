namespace GraphDL;

/// <summary>How a variable gets its first value: a shape, a dtype and the graph nodes that compute the value.</summary>
public abstract record Initializer(Shape Shape)
{
    /// <summary>The variable's dtype (Float32 unless set with <c>with { DType = ... }</c>).</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>Builds the node computing the initial value.</summary>
    public abstract Output Build(GraphBuilder g);

    /// <summary>(fan in, fan out) as Keras counts them: for a matrix its rows and columns; for a conv filter (h, w, in, out) the receptive field times in / out.</summary>
    protected (double In, double Out) Fans()
    {
        if (Shape.Rank == 0) return (1, 1);
        if (Shape.Rank == 1) return (Shape[0], Shape[0]);
        double receptive = Shape.SizeOf(0, Shape.Rank - 2);
        return (receptive * Shape[^2], receptive * Shape[^1]);
    }
}

/// <summary>The initializers of TF1 and Keras: <c>g.Variable(Init.Zeros(784, 10), "W")</c>.</summary>
public static class Init
{
    /// <summary>Zeros of the given dimensions (tf.zeros_initializer): biases.</summary>
    public static Initializer Zeros(params int[] dims) => new ConstantInit(dims, 0);

    /// <summary>Ones of the given dimensions (tf.ones_initializer).</summary>
    public static Initializer Ones(params int[] dims) => new ConstantInit(dims, 1);

    /// <summary>Every element <paramref name="value"/> (tf.constant_initializer).</summary>
    public static Initializer Constant(double value, params int[] dims) => new ConstantInit(dims, value);

    /// <summary>Normal numbers of the given mean and standard deviation (tf.random_normal_initializer): <c>Init.RandomNormal([2, 4], stddev: 1.0)</c>.</summary>
    public static Initializer RandomNormal(int[] dims, double mean = 0, double stddev = 1, int? seed = null) =>
        new RandomInit(dims, Distribution.Normal, mean, stddev, seed);

    /// <summary>Normal numbers redrawn until within two standard deviations (tf.truncated_normal_initializer): the MNIST slides' weights.</summary>
    public static Initializer TruncatedNormal(int[] dims, double mean = 0, double stddev = 1, int? seed = null) =>
        new RandomInit(dims, Distribution.TruncatedNormal, mean, stddev, seed);

    /// <summary>Numbers uniform on [minval, maxval) (tf.random_uniform_initializer).</summary>
    public static Initializer RandomUniform(int[] dims, double minval = 0, double maxval = 1, int? seed = null) =>
        new RandomInit(dims, Distribution.Uniform, minval, maxval, seed);

    /// <summary>Uniform on ±√(6 / (fan in + fan out)) (Glorot and Bengio, 2010): Keras's default for Dense.</summary>
    public static Initializer GlorotUniform(int[] dims, int? seed = null) => new GlorotUniformInit(dims, seed);

    /// <summary>
    /// Truncated normal with standard deviation √(2 / fan in) / 0.8796 (He et al., 2015), the divisor undoing the
    /// variance lost by truncating at two standard deviations, as Keras does.
    /// </summary>
    public static Initializer HeNormal(int[] dims, int? seed = null) => new HeNormalInit(dims, seed);

    private sealed record ConstantInit(Shape Shape, double Value) : Initializer(Shape)
    {
        public override Output Build(GraphBuilder g) => g.Fill(Shape, Value, DType, Value == 0 ? "zeros" : "Const");
    }

    private sealed record RandomInit(Shape Shape, Distribution Distribution, double A, double B, int? Seed) : Initializer(Shape)
    {
        public override Output Build(GraphBuilder g) =>
            g.AddOp(new RandomOp { Shape = Shape, DType = DType, Distribution = Distribution, A = A, B = B, Seed = Seed }, []);
    }

    private sealed record GlorotUniformInit(Shape Shape, int? Seed) : Initializer(Shape)
    {
        public override Output Build(GraphBuilder g)
        {
            var (fanIn, fanOut) = Fans();
            double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            return g.RandomUniform(Shape, -limit, limit, DType, Seed);
        }
    }

    private sealed record HeNormalInit(Shape Shape, int? Seed) : Initializer(Shape)
    {
        private const double TruncatedStddev = 0.87962566103423978;

        public override Output Build(GraphBuilder g) =>
            g.TruncatedNormal(Shape, 0, Math.Sqrt(2.0 / Fans().In) / TruncatedStddev, DType, Seed);
    }
}
