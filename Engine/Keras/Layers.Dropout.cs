using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Dropout (seed 000's overfitting remedy): while the model trains, each input is zeroed with probability
    /// <see cref="Rate"/> and the survivors are scaled by 1 / (1 - rate); when it evaluates or predicts, the
    /// input passes unchanged. Built on the graph's <c>g.Dropout(x, keepProb)</c> with
    /// keepProb = 1 - rate × training, so the one graph does both: the training flag is 1 in Fit, 0 otherwise.
    /// </summary>
    public sealed class Dropout : Layer
    {
        /// <param name="rate">The fraction of inputs to drop, in [0, 1).</param>
        /// <param name="seed">The seed of the dropout mask; null leaves it to the graph seed.</param>
        /// <param name="inputShape">The input's shape without the batch, for a first layer.</param>
        /// <param name="name">The layer's name; by default dropout, dropout_1, ...</param>
        public Dropout(double rate, int? seed = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        {
            if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
            Rate = rate;
            Seed = seed;
        }

        /// <summary>The fraction of inputs dropped while training, in [0, 1).</summary>
        public double Rate { get; }

        /// <summary>The seed of the dropout mask; null leaves it to the graph's seed.</summary>
        public int? Seed { get; }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["rate"] = Rate;
            config["seed"] = Seed;
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape) => inputShape;

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training)
        {
            // With training = 0, keepProb is 1: every mask element is floor(1 + u) = 1 and x / 1 is x itself.
            var keepProb = 1.0 - Rate * training;
            return g.Dropout(x, keepProb, Seed);
        }
    }
}
