using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Flattens each example into a vector, (batch, d1, d2, ...) → (batch, d1 × d2 × ...): the step from a
    /// convolution's feature maps to a Dense layer, or from a 28 × 28 image to 784 inputs.
    /// </summary>
    public sealed class Flatten : Layer
    {
        /// <param name="inputShape">The input's shape without the batch, for a first layer: <c>inputShape: [28, 28]</c>.</param>
        /// <param name="name">The layer's name; by default flatten, flatten_1, ...</param>
        public Flatten(int[]? inputShape = null, string? name = null) : base(name, inputShape) { }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();

            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireMinRank(inputShape, 2, "(batch, ...)");
            var perExample = new Shape(inputShape.Dims[1..]);
            if (!perExample.IsFullyDefined)
                throw new ShapeException($"Layer '{Name}' (Flatten) needs every axis but the batch known, got an input of shape {Format(inputShape)}.");
            return new Shape(inputShape[0], perExample.Size);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => g.Flatten(x);
    }
}
