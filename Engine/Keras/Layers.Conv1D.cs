using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's Conv1D (keras.layers.Conv1D) over sequences (batch, steps, channels), on the engine's
    /// <see cref="GraphBuilder.Conv1D"/> (tf.nn.conv1d): <see cref="Filters"/> filters <see cref="KernelSize"/> steps
    /// long slide along the time axis. Weights as Keras: a kernel (kernel size, in channels, filters), Glorot-uniform,
    /// and one bias per filter, zeros; parameters kernel size × channels × filters + filters (3 × 10 × 32 + 32 = 992).
    /// </summary>
    public sealed class Conv1D : Layer
    {
        private readonly Func<Graph, Output, Output> _activation;
        private Output _kernel, _bias;

        /// <param name="filters">The number of filters, so of output channels.</param>
        /// <param name="kernelSize">The filter's length in steps.</param>
        /// <param name="strides">The step between windows; 1 unless given.</param>
        /// <param name="padding">"valid" (no padding: the output shrinks) or "same" (zeros at both ends: the output is steps / stride, rounded up).</param>
        /// <param name="activation">An activation by name; null is linear.</param>
        /// <param name="useBias">Whether to add a bias per filter.</param>
        /// <param name="inputShape">(steps, channels), for a first layer.</param>
        /// <param name="name">The layer's name; by default conv1d, conv1d_1, ...</param>
        /// <param name="kernelRegularizer">A penalty on the kernel that joins the loss (Keras's kernel_regularizer): <c>Regularizers.L2(0.01)</c> or a name, "l2".</param>
        /// <param name="biasRegularizer">A penalty on the bias that joins the loss (Keras's bias_regularizer).</param>
        public Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid",
            string? activation = null, bool useBias = true, int[]? inputShape = null, string? name = null,
            Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null)
            : base(name, inputShape)
        {
            if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), filters, "A convolution needs at least one filter.");
            if (kernelSize < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "A kernel is at least one step long.");
            if (strides < 1) throw new ArgumentOutOfRangeException(nameof(strides), strides, "Strides must be positive.");
            Filters = filters;
            KernelSize = kernelSize;
            Strides = strides;
            Padding = ParsePadding(padding);
            Activation = activation ?? "linear";
            _activation = Activations.Get(activation);
            UseBias = useBias;
            KernelRegularizer = kernelRegularizer;
            BiasRegularizer = biasRegularizer;
        }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["filters"] = Filters;
            config["kernel_size"] = KernelSize;
            config["strides"] = Strides;
            config["padding"] = LayerConfig.PaddingName(Padding);
            config["activation"] = Activation;
            config["use_bias"] = UseBias;
            config["kernel_regularizer"] = LayerConfig.Describe(KernelRegularizer);
            config["bias_regularizer"] = LayerConfig.Describe(BiasRegularizer);
            return config;
        }

        /// <summary>The kernel's penalty (Keras's kernel_regularizer); null when none.</summary>
        public Regularizer? KernelRegularizer { get; }

        /// <summary>The bias's penalty (Keras's bias_regularizer); null when none.</summary>
        public Regularizer? BiasRegularizer { get; }

        /// <summary>The number of filters, which is the number of output channels.</summary>
        public int Filters { get; }

        /// <summary>The filter's length in steps.</summary>
        public int KernelSize { get; }

        /// <summary>How far the filter moves between outputs.</summary>
        public int Strides { get; }

        /// <summary>The engine's padding: <see cref="GraphDL.Padding.Valid"/> or <see cref="GraphDL.Padding.Same"/>.</summary>
        public Padding Padding { get; }

        /// <summary>The activation's name ("relu", "linear" when none was given).</summary>
        public string Activation { get; }

        /// <summary>Whether a bias per filter is added before the activation.</summary>
        public bool UseBias { get; }

        /// <summary>The filters, (kernel size, in channels, filters); available once built.</summary>
        public Output Kernel => IsBuilt ? _kernel : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>b, one per filter; available once built, and only with <see cref="UseBias"/>.</summary>
        public Output Bias => IsBuilt && UseBias ? _bias : throw new InvalidOperationException($"Layer '{Name}' has no bias (not built yet, or useBias: false).");

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireRank(inputShape, 3, "(batch, steps, channels)");
            return new Shape(inputShape[0], WindowOutputSize(this, inputShape, 1, KernelSize, Strides, Padding), Filters);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape)
        {
            int channels = RequireKnown(inputShape, 2, "number of channels (its last axis)");
            _kernel = AddWeight(g, "kernel", Init.GlorotUniform([KernelSize, channels, Filters]), regularizer: KernelRegularizer);
            if (UseBias) _bias = AddWeight(g, "bias", Init.Zeros(Filters), regularizer: BiasRegularizer);
        }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training)
        {
            var z = g.Conv1D(x, _kernel, Strides, Padding);
            if (UseBias) z += _bias;
            return _activation(g, z);
        }
    }
}
