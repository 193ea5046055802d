using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's TimeDistributed wrapper (keras.layers.TimeDistributed): applies <see cref="Layer"/> to every time step
    /// of a (batch, time, ...) input with one set of weights, as <c>TimeDistributed(Dense(12, activation="softmax"))</c>
    /// puts the same classifier on each output of a <c>returnSequences</c> RNN. The steps are folded into the batch,
    /// (batch × time, ...), the layer runs once on all of them, and the result is unfolded to (batch, time, ...), so the
    /// weights' gradient sums over the steps. Its parameters are the wrapped layer's; a wrapper made with
    /// <c>Trainable = false</c> freezes them, as Keras's does.
    /// </summary>
    public sealed class TimeDistributed : Layer
    {
        /// <param name="layer">The layer to apply at each step; it must take (batch, ...) inputs of one step.</param>
        /// <param name="inputShape">(time, ...), for a first layer.</param>
        /// <param name="name">The layer's name; by default time_distributed, time_distributed_1, ...</param>
        public TimeDistributed(Layer layer, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        {
            ArgumentNullException.ThrowIfNull(layer);
            if (layer.IsBuilt)
                throw new ArgumentException($"TimeDistributed needs a layer whose weights are not made yet, but '{layer.Name}' ({layer.TypeName}) is built already.", nameof(layer));
            Layer = layer;
        }

        /// <summary>The wrapped layer, applied at every step.</summary>
        public Layer Layer { get; }

        /// <inheritdoc/>
        private protected override IEnumerable<Layer> InnerLayers => [Layer];

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["layer"] = LayerConfig.Describe(Layer);
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireMinRank(inputShape, 3, "(batch, time, ...)");
            // Folding the steps into the batch is a reshape with the batch unknown, so every other axis must be known.
            if (!new Shape(inputShape.Dims[1..]).IsFullyDefined)
                throw new ShapeException($"Layer '{Name}' (TimeDistributed) needs every axis but the batch known, got an input of shape {Format(inputShape)}.");
            var step = Layer.ComputeOutputShape(StepShape(inputShape));
            if (step.Rank < 1 || !new Shape(step.Dims[1..]).IsFullyDefined)
                throw new ShapeException($"Layer '{Name}' (TimeDistributed): the wrapped layer '{Layer.Name}' ({Layer.TypeName}) gives steps of shape {Format(step)}, whose axes after the batch must be known.");
            return new Shape([inputShape[0], inputShape[1], .. step.Dims[1..]]);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training)
        {
            var output = ComputeOutputShape(x.Shape);
            var steps = g.Reshape(x, [-1, .. x.Shape.Dims[2..]]);
            bool building = !Layer.IsBuilt;
            if (building) Layer.FrozenByWrapper = !Trainable;
            var y = Layer.Apply(g, steps, training);
            if (building) TrackWeights(Layer.Weights);
            return g.Reshape(y, [-1, .. output.Dims[1..]]);
        }

        /// <summary>The shape the wrapped layer sees: one step of every example, (batch × time, ...).</summary>
        private static Shape StepShape(Shape inputShape) => new([Shape.Unknown, .. inputShape.Dims[2..]]);
    }
}
