using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's Lambda layer (keras.layers.Lambda): any graph function of the input as a layer, for an op that has no
    /// layer of its own. VGG's A-LRN puts TF's local response normalization after a convolution, which Keras writes
    /// <c>Lambda(lambda x: tf.nn.local_response_normalization(x))</c> and this
    /// <c>new Layers.Lambda((g, x) => g.LocalResponseNormalization(x), name: "lrn")</c>. No parameters: like Keras's,
    /// the function should make no variables. The output shape is found as Keras finds it, by calling the function
    /// on a placeholder of the input's shape (in a scratch graph, so the model's graph gets nothing from it).
    /// </summary>
    /// <remarks>
    /// A model holding a Lambda cannot be saved whole: the function is C# code, which a model file cannot hold (Keras
    /// refuses to load a lambda's bytecode in safe mode for the same reason). Save the weights with SaveWeights and
    /// build the model again in code.
    /// </remarks>
    public sealed class Lambda : Layer
    {
        /// <param name="function">The nodes from the input (batch axis first) to the output, added to the graph given.</param>
        /// <param name="inputShape">The input's shape without the batch, for a first layer.</param>
        /// <param name="name">The layer's name; by default lambda, lambda_1, ...</param>
        public Lambda(Func<Graph, Output, Output> function, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        {
            ArgumentNullException.ThrowIfNull(function);
            Function = function;
        }

        /// <summary>The function the layer applies.</summary>
        public Func<Graph, Output, Output> Function { get; }

        /// <summary>Always throws: a C# delegate cannot be written into a model file.</summary>
        /// <exception cref="NotSupportedException">Always, naming the layer.</exception>
        public override JsonObject GetConfig() =>
            throw new NotSupportedException($"Layer '{Name}' (Lambda) wraps a C# function, which a model file cannot describe. Save the weights with SaveWeights and build the model again in code, or write the function as a layer class with a GetConfig and register it with LayerConfig.Register.");

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            var scratch = new Graph();
            var probe = scratch.Placeholder(InputDType, inputShape, "input");
            try
            {
                return Function(scratch, probe).Shape;
            }
            catch (ShapeException e)
            {
                throw new ShapeException($"Layer '{Name}' (Lambda) cannot take an input of shape {Format(inputShape)}: {e.Message}");
            }
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => Function(g, x);
    }
}
