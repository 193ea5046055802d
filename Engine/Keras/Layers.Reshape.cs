using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's Reshape layer (keras.layers.Reshape): gives each example the shape <see cref="TargetShape"/>, which
    /// leaves out the batch axis, as in Keras: <c>Reshape([7, 7, 16])</c> turns (None, 784) into (None, 7, 7, 16).
    /// One dimension may be -1, worked out from the others. The elements keep their row-major order; no parameters.
    /// </summary>
    public sealed class Reshape : Layer
    {
        /// <param name="targetShape">The shape of one example, without the batch; at most one -1.</param>
        /// <param name="inputShape">The input's shape without the batch, for a first layer.</param>
        /// <param name="name">The layer's name; by default reshape, reshape_1, ...</param>
        public Reshape(int[] targetShape, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        {
            ArgumentNullException.ThrowIfNull(targetShape);
            if (targetShape.Count(d => d == -1) > 1 || targetShape.Any(d => d < 1 && d != -1))
                throw new ArgumentException($"A target shape lists positive dimensions with at most one -1, got ({string.Join(", ", targetShape)}).", nameof(targetShape));
            TargetShape = (int[])targetShape.Clone();
        }

        /// <summary>The shape of one example after the layer, without the batch, as given (-1 not yet worked out).</summary>
        public IReadOnlyList<int> TargetShape { get; }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["target_shape"] = LayerConfig.Ints(TargetShape);
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireMinRank(inputShape, 1, "(batch, ...)");
            var perExample = new Shape(inputShape.Dims[1..]);
            if (!perExample.IsFullyDefined)
                throw new ShapeException($"Layer '{Name}' (Reshape) needs every axis but the batch known, got an input of shape {Format(inputShape)}.");
            int known = TargetShape.Where(d => d != -1).Aggregate(1, (a, d) => a * d);
            var target = TargetShape.ToArray();
            int free = Array.IndexOf(target, -1);
            if (free >= 0 && known > 0 && perExample.Size % known == 0) target[free] = perExample.Size / known;
            if (target.Aggregate(1, (a, d) => a * d) != perExample.Size || target.Contains(-1))
                throw new ShapeException($"Layer '{Name}' (Reshape) cannot give an input of shape {Format(inputShape)} ({perExample.Size} elements per example) the target shape ({string.Join(", ", TargetShape)}).");
            return new Shape([inputShape[0], .. target]);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) =>
            g.Reshape(x, [-1, .. ComputeOutputShape(x.Shape).Dims[1..]]);
    }

    /// <summary>
    /// Keras's RepeatVector (keras.layers.RepeatVector): repeats each example's vector <see cref="Times"/> times along a
    /// new time axis, (batch, features) → (batch, n, features): the encoder's summary fed to every step of a decoder.
    /// No parameters; its gradient sums over the copies.
    /// </summary>
    public sealed class RepeatVector : Layer
    {
        /// <param name="n">How many times to repeat the input.</param>
        /// <param name="name">The layer's name; by default repeat_vector, repeat_vector_1, ...</param>
        public RepeatVector(int n, string? name = null) : base(name)
        {
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "RepeatVector repeats at least once.");
            Times = n;
        }

        /// <summary>The number of copies, the length of the new time axis.</summary>
        public int Times { get; }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["n"] = Times;
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireRank(inputShape, 2, "(batch, features)");
            return new Shape(inputShape[0], Times, inputShape[1]);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => g.Tile(g.ExpandDims(x, 1), [1, Times, 1]);
    }
}
