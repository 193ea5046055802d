using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's GRU (tf.keras.layers.GRU) over an input of (batch, time, features), unrolled with the engine's
    /// <see cref="GruCell"/>: z = σ(x W_z + h U_z + b_z), r = σ(x W_r + h U_r + b_r),
    /// h~ = tanh(x W_h + (r * h) U_h + b_h), h_t = z * h_{t-1} + (1 - z) * h~, the blocks in the order z, r, h.
    /// The output is the last h, or every h with <c>returnSequences: true</c>. Parameters: 3 × units × (units + features + 1),
    /// e.g. 3 × 128 × (128 + 10 + 1) = 53,376; with <c>resetAfter: true</c> the bias is (2, 3 × units), one more
    /// 3 × units.
    /// </summary>
    /// <remarks>
    /// resetAfter defaults to false, Keras's default in the TF1 era (TF2's Keras made it true, the cuDNN form, where r
    /// multiplies h U_h + b'_h instead of h); a model that loads TF2 Keras weights sets it. Without it each step is one
    /// fused <see cref="GruBlockCell"/> node, as <see cref="GruCell"/> builds by default; with it the step stays unrolled.
    /// </remarks>
    public sealed class GRU : RecurrentLayer
    {
        /// <param name="units">The size of h.</param>
        /// <param name="returnSequences">Output every step's h instead of the last one.</param>
        /// <param name="resetAfter">Apply the reset gate after the recurrent product, with a second bias (Keras's reset_after).</param>
        /// <param name="inputShape">(time, features), for a first layer.</param>
        /// <param name="name">The layer's name; by default gru, gru_1, ...</param>
        /// <param name="returnState">Also give the last h, through <see cref="RecurrentLayer.ApplyWithStates"/>.</param>
        public GRU(int units, bool returnSequences = false, bool resetAfter = false, int[]? inputShape = null, string? name = null, bool returnState = false)
            : base(units, returnSequences, inputShape, name, returnState) =>
            ResetAfter = resetAfter;

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = base.GetConfig();
            config["reset_after"] = ResetAfter;
            return config;
        }

        /// <summary>Whether the reset gate is applied after the recurrent product (Keras's reset_after; false unless given).</summary>
        public bool ResetAfter { get; }

        /// <inheritdoc/>
        protected override int GateCount => 3;

        /// <inheritdoc/>
        protected override Initializer BiasInit => ResetAfter ? Init.Zeros(2, 3 * Units) : Init.Zeros(3 * Units);

        /// <inheritdoc/>
        protected override RnnCell MakeCell(Graph g) => GruCell.FromWeights(Kernel, RecurrentKernel, Bias, ResetAfter, Name);

        internal override RecurrentLayer Copy(string name, bool reverse) =>
            new GRU(Units, ReturnSequences, ResetAfter, null, name, ReturnState)
            {
                Trainable = Trainable, GoBackwards = GoBackwards ^ reverse,
                KernelRegularizer = KernelRegularizer, RecurrentRegularizer = RecurrentRegularizer, BiasRegularizer = BiasRegularizer,
            };
    }
}
