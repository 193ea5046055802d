using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's Bidirectional wrapper (keras.layers.Bidirectional) over a SimpleRNN, LSTM or GRU: two copies of the
    /// layer, <see cref="Forward"/> (forward_lstm) reading the sequence from the first step and <see cref="Backward"/>
    /// (backward_lstm, go_backwards) from the last, each with its own weights, so the wrapper has twice the wrapped
    /// layer's parameters. With returnSequences the backward outputs are turned back into time order, so step t of both
    /// belongs to input step t, as Keras does. The two outputs are merged by <see cref="MergeMode"/>: "concat" (the
    /// default; the last axis doubles), "sum", "mul", "ave", or null for both unmerged, a layer with two outputs that a
    /// functional model takes with <see cref="GraphDL.Keras.Layer.ApplyAll"/>. With returnState the forward layer's states follow,
    /// then the backward layer's: <c>[output, h_f, c_f, h_b, c_b]</c> for an LSTM.
    /// </summary>
    public sealed class Bidirectional : Layer
    {
        private static readonly string?[] MergeModes = ["concat", "sum", "mul", "ave", null];

        /// <param name="layer">The recurrent layer to run both ways; it serves as a template and is not built itself.</param>
        /// <param name="mergeMode">"concat", "sum", "mul", "ave", or null for the two outputs apart.</param>
        /// <param name="inputShape">(time, features), for a first layer.</param>
        /// <param name="name">The layer's name; by default bidirectional, bidirectional_1, ...</param>
        public Bidirectional(RecurrentLayer layer, string? mergeMode = "concat", int[]? inputShape = null, string? name = null) : base(name, inputShape)
        {
            ArgumentNullException.ThrowIfNull(layer);
            if (layer.IsBuilt)
                throw new ArgumentException($"Bidirectional needs a layer whose weights are not made yet, but '{layer.Name}' ({layer.TypeName}) is built already.", nameof(layer));
            if (!MergeModes.Contains(mergeMode))
                throw new ArgumentException($"Unknown merge mode '{mergeMode}'; Bidirectional takes \"concat\", \"sum\", \"mul\", \"ave\" or null.", nameof(mergeMode));
            MergeMode = mergeMode;
            Layer = layer;
            Forward = layer.Copy("forward_" + layer.Name, reverse: false);
            Backward = layer.Copy("backward_" + layer.Name, reverse: true);
        }

        /// <summary>How the two directions' outputs are joined: "concat", "sum", "mul", "ave", or null for both.</summary>
        public string? MergeMode { get; }

        /// <summary>The layer given to the constructor (Keras's <c>bidirectional.layer</c>): the template of both copies, never built itself.</summary>
        public RecurrentLayer Layer { get; }

        /// <summary>The copy that reads the sequence in time order (Keras's forward_layer).</summary>
        public RecurrentLayer Forward { get; }

        /// <summary>The copy that reads it from the last step (Keras's backward_layer).</summary>
        public RecurrentLayer Backward { get; }

        /// <inheritdoc/>
        private protected override IEnumerable<Layer> InnerLayers => [Forward, Backward];

        /// <inheritdoc/>
        private protected override string SeveralOutputsReason => MergeMode is null
            ? " (mergeMode: null gives both directions' outputs)" : " (returnState: true gives [output, forward states..., backward states...])";

        /// <summary>The wrapped layer's config nested, as Keras writes it, and the merge mode; the copies are made again from them.</summary>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["layer"] = LayerConfig.Describe(Layer);
            config["merge_mode"] = MergeMode;
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape) => ComputeOutputShapes([inputShape])[0];

        /// <inheritdoc/>
        public override IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes)
        {
            if (inputShapes.Count != 1)
                throw new ArgumentException($"Layer '{Name}' (Bidirectional) takes one input, but was given {inputShapes.Count}.");
            var directional = Forward.ComputeOutputShapes(inputShapes);
            var output = directional[0];
            var states = directional.Skip(1).ToArray();
            return MergeMode switch
            {
                null => [output, output, .. states, .. states],
                "concat" => [output.WithDim(-1, 2 * output[-1]), .. states, .. states],
                _ => [output, .. states, .. states],
            };
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => Call(g, [x], training)[0];

        /// <inheritdoc/>
        protected override IReadOnlyList<Output> Call(Graph g, IReadOnlyList<Output> inputs, Output training)
        {
            bool building = !Forward.IsBuilt;
            if (building) Forward.FrozenByWrapper = Backward.FrozenByWrapper = !Trainable;
            var forward = Forward.Apply(g, inputs, training);
            var backward = Backward.Apply(g, inputs, training);
            if (building) TrackWeights([.. Forward.Weights, .. Backward.Weights]);

            var (f, b) = (forward[0], backward[0]);
            // The backward layer's sequence runs from the last step to the first; Keras turns it back into time order.
            if (Forward.ReturnSequences) b = g.Stack([.. g.Unstack(b, axis: 1).Reverse()], axis: 1, name: "backward_in_time_order");
            var states = forward.Skip(1).Concat(backward.Skip(1));
            Output[] outputs = MergeMode switch
            {
                null => [f, b],
                "concat" => [g.Concat([f, b], -1, "concat")],
                "sum" => [g.Add(f, b, "sum")],
                "mul" => [g.Mul(f, b, "mul")],
                _ => [g.Mul(f + b, g.ScalarLike(0.5, f), "ave")],
            };
            return [.. outputs, .. states];
        }
    }
}
