using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// A 2-D convolution layer over images in NHWC, (batch, height, width, channels) like TF: <see cref="Filters"/>
    /// filters of <see cref="KernelSize"/> slide over the input with the given strides, each giving one feature
    /// map. Weights as Keras: a kernel (kh, kw, in channels, filters), Glorot-uniform, and one bias per filter,
    /// zeros; parameters kh × kw × channels × filters + filters (VGG's first layer: 3 × 3 × 3 × 64 + 64 = 1,792).
    /// </summary>
    public sealed class Conv2D : Layer
    {
        private readonly Func<Graph, Output, Output> _activation;
        private Output _kernel, _bias;

        /// <param name="filters">The number of filters, so of output channels.</param>
        /// <param name="kernelSize">The filter's height and width.</param>
        /// <param name="strides">The steps between windows, vertical and horizontal; (1, 1) unless given.</param>
        /// <param name="padding">"valid" (no padding: the output shrinks) or "same" (zeros around the border: the output is input / stride, rounded up).</param>
        /// <param name="activation">An activation by name; null is linear.</param>
        /// <param name="useBias">Whether to add a bias per filter.</param>
        /// <param name="inputShape">(height, width, channels), for a first layer.</param>
        /// <param name="name">The layer's name; by default conv2d, conv2d_1, ...</param>
        /// <param name="kernelRegularizer">A penalty on the kernel that joins the loss (Keras's kernel_regularizer): <c>Regularizers.L2(0.01)</c> or a name, "l2".</param>
        /// <param name="biasRegularizer">A penalty on the bias that joins the loss (Keras's bias_regularizer).</param>
        public Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width)? strides = null, string padding = "valid",
            string? activation = null, bool useBias = true, int[]? inputShape = null, string? name = null,
            Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null)
            : base(name, inputShape)
        {
            if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), filters, "A convolution needs at least one filter.");
            if (kernelSize.Height < 1 || kernelSize.Width < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "A kernel is at least 1x1.");
            Filters = filters;
            KernelSize = kernelSize;
            Strides = strides ?? (1, 1);
            if (Strides.Height < 1 || Strides.Width < 1) throw new ArgumentOutOfRangeException(nameof(strides), strides, "Strides must be positive.");
            Padding = ParsePadding(padding);
            Activation = activation ?? "linear";
            _activation = Activations.Get(activation);
            UseBias = useBias;
            KernelRegularizer = kernelRegularizer;
            BiasRegularizer = biasRegularizer;
        }

        /// <summary>A square kernel and equal strides: <c>new Conv2D(32, 3, activation: "relu")</c>.</summary>
        public Conv2D(int filters, int kernelSize, int strides = 1, string padding = "valid",
            string? activation = null, bool useBias = true, int[]? inputShape = null, string? name = null,
            Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null)
            : this(filters, (kernelSize, kernelSize), (strides, strides), padding, activation, useBias, inputShape, name, kernelRegularizer, biasRegularizer) { }

        /// <summary>The kernel's penalty (Keras's kernel_regularizer); null when none.</summary>
        public Regularizer? KernelRegularizer { get; }

        /// <summary>The bias's penalty (Keras's bias_regularizer); null when none.</summary>
        public Regularizer? BiasRegularizer { get; }

        /// <summary>The number of filters, which is the number of output channels.</summary>
        public int Filters { get; }

        /// <summary>The filter's height and width.</summary>
        public (int Height, int Width) KernelSize { get; }

        /// <summary>How far the filter moves between outputs, down and across.</summary>
        public (int Height, int Width) Strides { get; }

        /// <summary>The engine's padding: <see cref="GraphDL.Padding.Valid"/> or <see cref="GraphDL.Padding.Same"/>.</summary>
        public Padding Padding { get; }

        /// <summary>The activation's name ("relu", "linear" when none was given).</summary>
        public string Activation { get; }

        /// <summary>Whether a bias per filter is added before the activation.</summary>
        public bool UseBias { get; }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["filters"] = Filters;
            config["kernel_size"] = LayerConfig.Pair(KernelSize);
            config["strides"] = LayerConfig.Pair(Strides);
            config["padding"] = LayerConfig.PaddingName(Padding);
            config["activation"] = Activation;
            config["use_bias"] = UseBias;
            config["kernel_regularizer"] = LayerConfig.Describe(KernelRegularizer);
            config["bias_regularizer"] = LayerConfig.Describe(BiasRegularizer);
            return config;
        }

        /// <summary>The filters, (kh, kw, in channels, filters); available once built.</summary>
        public Output Kernel => IsBuilt ? _kernel : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>b, one per filter; available once built, and only with <see cref="UseBias"/>.</summary>
        public Output Bias => IsBuilt && UseBias ? _bias : throw new InvalidOperationException($"Layer '{Name}' has no bias (not built yet, or useBias: false).");

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireRank(inputShape, 4, "(batch, height, width, channels)");
            return new Shape(inputShape[0],
                WindowOutputSize(this, inputShape, 1, KernelSize.Height, Strides.Height, Padding),
                WindowOutputSize(this, inputShape, 2, KernelSize.Width, Strides.Width, Padding),
                Filters);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape)
        {
            int channels = RequireKnown(inputShape, 3, "number of channels");
            _kernel = AddWeight(g, "kernel", Init.GlorotUniform([KernelSize.Height, KernelSize.Width, channels, Filters]), regularizer: KernelRegularizer);
            if (UseBias) _bias = AddWeight(g, "bias", Init.Zeros(Filters), regularizer: BiasRegularizer);
        }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training)
        {
            var z = g.Conv2D(x, _kernel, Strides, Padding);
            if (UseBias) z += _bias;
            return _activation(g, z);
        }
    }

    /// <summary>
    /// Max pooling (seed 000's pooling example): each window of <see cref="Pooling2D.PoolSize"/> gives its largest
    /// value, so a 2 × 2 pool with stride 2 halves the height and width. No parameters.
    /// </summary>
    public sealed class MaxPooling2D : Pooling2D
    {
        /// <param name="poolSize">The window's height and width.</param>
        /// <param name="strides">The steps between windows; the pool size unless given, so windows do not overlap.</param>
        /// <param name="padding">"valid" or "same".</param>
        /// <param name="name">The layer's name; by default max_pooling2d, max_pooling2d_1, ...</param>
        public MaxPooling2D((int Height, int Width) poolSize, (int Height, int Width)? strides = null, string padding = "valid", string? name = null)
            : base(poolSize, strides, padding, name) { }

        /// <summary>A square window: <c>new MaxPooling2D(2)</c>.</summary>
        public MaxPooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
            : base((poolSize, poolSize), strides is int s ? (s, s) : null, padding, name) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => g.MaxPool(x, PoolSize, Strides, Padding);
    }

    /// <summary>Average pooling: each window of <see cref="Pooling2D.PoolSize"/> gives its mean. No parameters.</summary>
    public sealed class AveragePooling2D : Pooling2D
    {
        /// <summary>Average pooling over windows of <paramref name="poolSize"/> (height, width), moved by <paramref name="strides"/> (the pool size when null); padding "valid" or "same".</summary>
        public AveragePooling2D((int Height, int Width) poolSize, (int Height, int Width)? strides = null, string padding = "valid", string? name = null)
            : base(poolSize, strides, padding, name) { }

        /// <summary>Average pooling over square windows (Keras's default 2), moved by <paramref name="strides"/> (the pool size when null); padding "valid" or "same".</summary>
        public AveragePooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
            : base((poolSize, poolSize), strides is int s ? (s, s) : null, padding, name) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => g.AvgPool(x, PoolSize, Strides, Padding);
    }

    /// <summary>What max and average pooling share: the window, the strides (the window's size unless given) and the padding.</summary>
    public abstract class Pooling2D : Layer
    {
        private protected Pooling2D((int Height, int Width) poolSize, (int Height, int Width)? strides, string padding, string? name) : base(name)
        {
            if (poolSize.Height < 1 || poolSize.Width < 1) throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, "A pooling window is at least 1x1.");
            PoolSize = poolSize;
            Strides = strides ?? poolSize;
            if (Strides.Height < 1 || Strides.Width < 1) throw new ArgumentOutOfRangeException(nameof(strides), strides, "Strides must be positive.");
            Padding = ParsePadding(padding);
        }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["pool_size"] = LayerConfig.Pair(PoolSize);
            config["strides"] = LayerConfig.Pair(Strides);
            config["padding"] = LayerConfig.PaddingName(Padding);
            return config;
        }

        /// <summary>The window's height and width.</summary>
        public (int Height, int Width) PoolSize { get; }

        /// <summary>How far the window moves between outputs, down and across (the pool size unless given).</summary>
        public (int Height, int Width) Strides { get; }

        /// <summary>The engine's padding: <see cref="GraphDL.Padding.Valid"/> or <see cref="GraphDL.Padding.Same"/>.</summary>
        public Padding Padding { get; }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireRank(inputShape, 4, "(batch, height, width, channels)");
            return new Shape(inputShape[0],
                WindowOutputSize(this, inputShape, 1, PoolSize.Height, Strides.Height, Padding),
                WindowOutputSize(this, inputShape, 2, PoolSize.Width, Strides.Width, Padding),
                inputShape[3]);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }
    }

    /// <summary>"valid" or "same", as Keras spells them.</summary>
    private static Padding ParsePadding(string padding) => padding.ToLowerInvariant() switch
    {
        "valid" => Padding.Valid,
        "same" => Padding.Same,
        _ => throw new ArgumentException($"Padding must be \"valid\" or \"same\", got \"{padding}\".", nameof(padding)),
    };

    /// <summary>
    /// The slides' output size along one axis: VALID gives (input - window) / stride + 1, floored; SAME gives
    /// input / stride, rounded up. Unknown stays unknown.
    /// </summary>
    private static int WindowOutputSize(Layer layer, Shape input, int axis, int window, int stride, Padding padding)
    {
        int n = input[axis];
        if (n == Shape.Unknown) return Shape.Unknown;
        if (padding.Kind == PaddingKind.Same) return (n + stride - 1) / stride;
        if (n < window)
            throw new ShapeException($"Layer '{layer.Name}' ({layer.TypeName}): a window of {window} does not fit an input of {n} along axis {axis} (input shape {Layer.Format(input)}) with \"valid\" padding.");
        return (n - window) / stride + 1;
    }
}
