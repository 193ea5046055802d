using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's Activation layer (keras.layers.Activation): applies an activation by name to its input, elementwise
    /// (softmax along the last axis), so <c>Dense(10)</c> then <c>Activation("softmax")</c> is
    /// <c>Dense(10, activation: "softmax")</c> in two steps. The shape stays; no parameters.
    /// </summary>
    public sealed class Activation : Layer
    {
        private readonly Func<Graph, Output, Output> _function;

        /// <param name="activation">The activation's name: "relu", "sigmoid", "tanh", "softmax", ... (see <see cref="Activations.Names"/>).</param>
        /// <param name="inputShape">The input's shape without the batch, for a first layer.</param>
        /// <param name="name">The layer's name; by default activation, activation_1, ...</param>
        public Activation(string activation, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        {
            ArgumentNullException.ThrowIfNull(activation);
            _function = Activations.Get(activation);
            Function = activation;
        }

        /// <summary>The activation's name, as given.</summary>
        public string Function { get; }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["activation"] = Function;
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireMinRank(inputShape, 1, "(batch, ...)");
            return inputShape;
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => _function(g, x);
    }
}
