using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Word ids to dense vectors (seed 004's <c>Embedding(vocab_size, 10, input_length=5)</c>): a trainable matrix
    /// of one row per word, and the output is the rows the ids pick, (batch, length) → (batch, length, outputDim).
    /// The lookup is a Gather, whose gradient adds each output's gradient back into the row it came from.
    /// Parameters: inputDim × outputDim. The rows start uniform in [-0.05, 0.05], as in Keras.
    /// </summary>
    public sealed class Embedding : Layer
    {
        private Output _embeddings;

        /// <param name="inputDim">The vocabulary size: ids run from 0 to inputDim - 1.</param>
        /// <param name="outputDim">The length of each word's vector.</param>
        /// <param name="inputLength">The length of the id sequences, for a first layer.</param>
        /// <param name="name">The layer's name; by default embedding, embedding_1, ...</param>
        public Embedding(int inputDim, int outputDim, int? inputLength = null, string? name = null)
            : base(name, inputLength is { } n ? [n] : null)
        {
            if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, "The vocabulary needs at least one word.");
            if (outputDim < 1) throw new ArgumentOutOfRangeException(nameof(outputDim), outputDim, "An embedding vector needs at least one element.");
            InputDim = inputDim;
            OutputDim = outputDim;
        }

        /// <summary>The vocabulary's size: indices run from 0 to InputDim - 1.</summary>
        public int InputDim { get; }

        /// <summary>The length of each word vector.</summary>
        public int OutputDim { get; }

        /// <summary>The matrix of word vectors, (inputDim, outputDim); available once built.</summary>
        public Output Embeddings => IsBuilt ? _embeddings : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>Word ids are integers; a Float32 input is accepted too and cast, as Keras does.</summary>
        public override DType InputDType => DType.Int32;

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["input_dim"] = InputDim;
            config["output_dim"] = OutputDim;
            config["input_length"] = InputShape is null ? null : InputShape[1];
            return config;
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireMinRank(inputShape, 1, "(batch, length)");
            return new Shape([.. inputShape.Dims, OutputDim]);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) =>
            _embeddings = AddWeight(g, "embeddings", Init.RandomUniform([InputDim, OutputDim], -0.05, 0.05));

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training)
        {
            var ids = x.DType == DType.Int32 ? x : g.Cast(x, DType.Int32);
            return g.Gather(_embeddings, ids);
        }
    }
}
