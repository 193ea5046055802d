using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's BatchNormalization (tf.keras.layers.BatchNormalization): y = γ · (x − μ) / √(σ² + ε) + β per feature of
    /// <see cref="Axis"/> (the last axis: a Dense layer's units, a conv feature map's channels). While training (the
    /// model's training flag is 1) μ and σ² are the batch's mean and variance over every other axis, and each training
    /// step moves the moving statistics towards them: moving ← momentum · moving + (1 − momentum) · batch. In inference
    /// (Evaluate, Predict) μ and σ² are the moving statistics. Weights, in Keras's order: gamma and beta (trainable),
    /// moving_mean and moving_variance (non-trainable, saved with the others): 4 per feature, 2 of them trainable.
    /// </summary>
    /// <remarks>
    /// The variance that feeds moving_variance is tf.keras 2.x's: its fused kernel, which it uses on inputs of rank 4
    /// and 5 (conv feature maps), hands the moving average the unbiased batch variance, Σ(x − μ)² / (n − 1); its plain
    /// path, on other ranks (Dense outputs), the population variance Σ(x − μ)² / n. The normalization itself always
    /// divides by n, as Keras does. The moving updates are the layer's <see cref="Layer.Updates"/>, which Fit's train step
    /// runs, so evaluating or predicting never moves them.
    /// </remarks>
    public sealed class BatchNormalization : Layer
    {
        private Output? _gamma, _beta;
        private Output _movingMean, _movingVariance;

        /// <param name="axis">The features' axis, normalized separately (Keras's axis); -1 is the last.</param>
        /// <param name="momentum">How much of the moving statistics each training step keeps.</param>
        /// <param name="epsilon">Added to the variance before its square root.</param>
        /// <param name="center">Whether to add β.</param>
        /// <param name="scale">Whether to multiply by γ.</param>
        /// <param name="inputShape">The input's shape without the batch, for a first layer.</param>
        /// <param name="name">The layer's name; by default batch_normalization, batch_normalization_1, ...</param>
        public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
            int[]? inputShape = null, string? name = null)
            : base(name, inputShape)
        {
            if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1].");
            if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
            Axis = axis;
            Momentum = momentum;
            Epsilon = epsilon;
            Center = center;
            Scale = scale;
        }

        /// <summary>The features' axis as given (-1: the last).</summary>
        public int Axis { get; }

        /// <summary>The share of the moving statistics that a training step keeps.</summary>
        public double Momentum { get; }

        /// <summary>ε, added to the variance.</summary>
        public double Epsilon { get; }

        /// <summary>Whether β is added.</summary>
        public bool Center { get; }

        /// <summary>Whether γ multiplies.</summary>
        public bool Scale { get; }

        /// <summary>γ, one per feature (ones at first); available once built with <c>scale: true</c>.</summary>
        public Output Gamma => _gamma ?? throw new InvalidOperationException($"Layer '{Name}' has no gamma (not built yet, or scale: false).");

        /// <summary>β, one per feature (zeros at first); available once built with <c>center: true</c>.</summary>
        public Output Beta => _beta ?? throw new InvalidOperationException($"Layer '{Name}' has no beta (not built yet, or center: false).");

        /// <summary>The moving mean (zeros at first), used in inference; available once built.</summary>
        public Output MovingMean => IsBuilt ? _movingMean : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>The moving variance (ones at first), used in inference; available once built.</summary>
        public Output MovingVariance => IsBuilt ? _movingVariance : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["axis"] = Axis;
            config["momentum"] = Momentum;
            config["epsilon"] = Epsilon;
            config["center"] = Center;
            config["scale"] = Scale;
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireMinRank(inputShape, 2, "(batch, ..., features)");
            int axis = FeatureAxis(inputShape);
            RequireKnown(inputShape, axis, $"number of features (its axis {axis})");
            return inputShape;
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape)
        {
            int features = inputShape[FeatureAxis(inputShape)];
            if (Scale) _gamma = AddWeight(g, "gamma", Init.Ones(features));
            if (Center) _beta = AddWeight(g, "beta", Init.Zeros(features));
            _movingMean = AddWeight(g, "moving_mean", Init.Zeros(features), trainable: false);
            _movingVariance = AddWeight(g, "moving_variance", Init.Ones(features), trainable: false);
        }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training)
        {
            int rank = x.Shape.Rank, axis = FeatureAxis(x.Shape);
            int[] reduced = [.. Enumerable.Range(0, rank).Where(a => a != axis)];
            // Per-feature vectors broadcast against x as they are when the features are last; otherwise as (1, C, 1, ...).
            Output Broadcast(Output v) => axis == rank - 1 ? v
                : g.Reshape(v, [.. Enumerable.Range(0, rank).Select(a => a == axis ? -1 : 1)]);
            var (mean, variance) = g.Moments(x, reduced);
            Output? beta = _beta is { } b ? Broadcast(b) : null, gamma = _gamma is { } s ? Broadcast(s) : null;
            var batchNormalized = g.BatchNormalization(x, Broadcast(mean), Broadcast(variance), beta, gamma, Epsilon, "batch_normalized");
            var movingNormalized = g.BatchNormalization(x, Broadcast(_movingMean), Broadcast(_movingVariance), beta, gamma, Epsilon, "moving_normalized");

            using (g.NameScope("moving_updates"))
            {
                var movingVariance = variance;
                if (rank is 4 or 5)
                {
                    // n / (n − 1) with n the values per feature, batch included, known only when the graph runs.
                    var n = g.Size(x, DType.Float32) / (double)x.Shape[axis];
                    movingVariance = variance * (n / (n - 1.0));
                }
                AddUpdate(g.Assign(_movingMean, _movingMean * Momentum + mean * (1 - Momentum)).Node);
                AddUpdate(g.Assign(_movingVariance, _movingVariance * Momentum + movingVariance * (1 - Momentum)).Node);
            }
            // The flag is 0 or 1, so this picks one of the two; the gradient reaches the weights through the chosen one.
            return training * batchNormalized + (1.0 - training) * movingNormalized;
        }

        private int FeatureAxis(Shape inputShape)
        {
            int axis = Axis < 0 ? Axis + inputShape.Rank : Axis;
            if (axis <= 0 || axis >= inputShape.Rank)
                throw new ShapeException($"Layer '{Name}' (BatchNormalization) normalizes axis {Axis}, which an input of shape {Format(inputShape)} does not have apart from the batch.");
            return axis;
        }
    }
}
