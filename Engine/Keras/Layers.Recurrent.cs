using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// Keras's SimpleRNN (seed 004's <c>model.add(SimpleRNN(32))</c>): h_t = tanh(x_t W_xh + h_{t-1} W_hh + b) over
    /// an input of (batch, time, features), unrolled over the time steps with the engine's <see cref="SimpleRnnCell"/>.
    /// The output is the last h, (batch, units), or every h, (batch, time, units), with <c>returnSequences: true</c>.
    /// Parameters: units × (units + features + 1), e.g. 32 × (32 + 10 + 1) = 1,376.
    /// </summary>
    public sealed class SimpleRNN : RecurrentLayer
    {
        private readonly Func<Graph, Output, Output> _activation;

        /// <param name="units">The size of h.</param>
        /// <param name="activation">The activation of h by name; tanh unless given.</param>
        /// <param name="returnSequences">Output every step's h instead of the last one.</param>
        /// <param name="inputShape">(time, features), for a first layer.</param>
        /// <param name="name">The layer's name; by default simple_rnn, simple_rnn_1, ...</param>
        /// <param name="returnState">Also give the last h, through <see cref="RecurrentLayer.ApplyWithStates"/>.</param>
        public SimpleRNN(int units, string activation = "tanh", bool returnSequences = false, int[]? inputShape = null, string? name = null, bool returnState = false)
            : base(units, returnSequences, inputShape, name, returnState)
        {
            Activation = activation;
            _activation = Activations.Get(activation);
        }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = base.GetConfig();
            config["activation"] = Activation;
            return config;
        }

        /// <summary>The activation's name ("tanh" unless given).</summary>
        public string Activation { get; }

        /// <inheritdoc/>
        protected override int GateCount => 1;

        /// <inheritdoc/>
        protected override Initializer BiasInit => Init.Zeros(Units);

        /// <inheritdoc/>
        protected override RnnCell MakeCell(Graph g) =>
            SimpleRnnCell.FromWeights(Kernel, RecurrentKernel, Bias, z => _activation(g, z), Name);

        internal override RecurrentLayer Copy(string name, bool reverse) =>
            new SimpleRNN(Units, Activation, ReturnSequences, null, name, ReturnState)
            {
                Trainable = Trainable, GoBackwards = GoBackwards ^ reverse,
                KernelRegularizer = KernelRegularizer, RecurrentRegularizer = RecurrentRegularizer, BiasRegularizer = BiasRegularizer,
            };
    }

    /// <summary>
    /// Keras's LSTM (seed 004's <c>model.add(LSTM(128))</c>) over an input of (batch, time, features), unrolled with the
    /// engine's <see cref="LstmCell"/>: gates i, f, g, o from one product of [x_t, h_{t-1}], c_t = f * c_{t-1} + i * g,
    /// h_t = o * tanh(c_t). The forget gate's bias starts at 1 (Keras's unit_forget_bias). The output is the last h,
    /// or every h with <c>returnSequences: true</c>. Parameters: 4 × units × (units + features + 1), e.g.
    /// 4 × 128 × (128 + 10 + 1) = 71,168.
    /// </summary>
    public sealed class LSTM : RecurrentLayer
    {
        /// <param name="units">The size of h and c.</param>
        /// <param name="returnSequences">Output every step's h instead of the last one.</param>
        /// <param name="unitForgetBias">Start the forget gate's bias at 1 rather than 0.</param>
        /// <param name="inputShape">(time, features), for a first layer.</param>
        /// <param name="name">The layer's name; by default lstm, lstm_1, ...</param>
        /// <param name="returnState">Also give the last h and c, through <see cref="RecurrentLayer.ApplyWithStates"/>.</param>
        public LSTM(int units, bool returnSequences = false, bool unitForgetBias = true, int[]? inputShape = null, string? name = null, bool returnState = false)
            : base(units, returnSequences, inputShape, name, returnState) =>
            UnitForgetBias = unitForgetBias;

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = base.GetConfig();
            config["unit_forget_bias"] = UnitForgetBias;
            return config;
        }

        /// <summary>Whether the forget gate's bias starts at 1 (Keras's unit_forget_bias, on by default), so the cell remembers from the start.</summary>
        public bool UnitForgetBias { get; }

        /// <inheritdoc/>
        protected override int GateCount => 4;

        /// <inheritdoc/>
        protected override Initializer BiasInit => new LstmBiasInit(Units, UnitForgetBias);

        /// <inheritdoc/>
        protected override RnnCell MakeCell(Graph g) => LstmCell.FromWeights(Kernel, RecurrentKernel, Bias, Name);

        /// <summary>Keras lists an LSTM's states as [h, c]; the engine's cell keeps TF1's (c, h).</summary>
        private protected override Output[] StatesInKerasOrder(Output[] finalState) => [finalState[1], finalState[0]];

        /// <inheritdoc/>
        private protected override Output[] StatesInCellOrder(IReadOnlyList<Output> kerasStates) => [kerasStates[1], kerasStates[0]];

        /// <inheritdoc/>
        public override int StateCount => 2;

        internal override RecurrentLayer Copy(string name, bool reverse) =>
            new LSTM(Units, ReturnSequences, UnitForgetBias, null, name, ReturnState)
            {
                Trainable = Trainable, GoBackwards = GoBackwards ^ reverse,
                KernelRegularizer = KernelRegularizer, RecurrentRegularizer = RecurrentRegularizer, BiasRegularizer = BiasRegularizer,
            };
    }

    /// <summary>
    /// What SimpleRNN, LSTM and GRU share: the input (batch, time, features) with the number of steps known (the graph
    /// is unrolled over them), the weights kernel (features, gates × units), Glorot-uniform, recurrent_kernel
    /// (units, gates × units), orthogonal, and a bias, and the choice between the last output and all of them.
    /// </summary>
    /// <remarks>
    /// With <c>returnState: true</c> Keras's call returns a list, [output, h] ([output, h, c] for an LSTM). A model's
    /// chain of layers carries one tensor, so in a Sequential model such a layer is refused, as Keras refuses it. In a
    /// functional model <see cref="Layer.ApplyAll"/> (or <see cref="ApplyAll(KerasTensor, IReadOnlyList{KerasTensor}?)"/>)
    /// gives one symbolic tensor for each, and another recurrent layer takes states as its initial state (Keras's
    /// <c>LSTM(10)(x, initial_state=[h, c])</c>): an encoder-decoder. On graph nodes <see cref="ApplyWithStates"/>
    /// returns the same list.
    /// </remarks>
    public abstract class RecurrentLayer : Layer
    {
        private Output _kernel, _recurrentKernel, _bias;

        private protected RecurrentLayer(int units, bool returnSequences, int[]? inputShape, string? name, bool returnState = false) : base(name, inputShape)
        {
            if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), units, "A recurrent layer needs at least one unit.");
            Units = units;
            ReturnSequences = returnSequences;
            ReturnState = returnState;
        }

        /// <summary>True when the layer gives its last states besides its output (Keras's return_state), through <see cref="ApplyWithStates"/>.</summary>
        public bool ReturnState { get; }

        /// <summary>
        /// Adds the layer's nodes on <paramref name="x"/>, as <see cref="Layer.Apply(Graph, Output, Output?)"/> does, and
        /// returns Keras's list for return_state: [output, h] for SimpleRNN and GRU, [output, h, c] for LSTM, each state
        /// (batch, units) after the last step. The output is the last h or, with <c>returnSequences</c>, every h.
        /// </summary>
        public Output[] ApplyWithStates(Graph g, Output x, Output? training = null)
        {
            if (!ReturnState)
                throw new InvalidOperationException($"Layer '{Name}' ({TypeName}) was made without returnState: true, so it gives its output alone; use Apply.");
            return [.. Apply(g, [x], training)];
        }

        /// <summary>
        /// Applies the layer to <paramref name="input"/>, starting from <paramref name="initialState"/> ([h], or [h, c]
        /// for an LSTM; zeros when null), and returns every output: [output, h(, c)] with returnState, else [output].
        /// Keras's <c>out, h, c = LSTM(10, return_state=True)(x, initial_state=[h0, c0])</c>.
        /// </summary>
        public IReadOnlyList<KerasTensor> ApplyAll(KerasTensor input, IReadOnlyList<KerasTensor>? initialState = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            return ApplyAll([input, .. initialState ?? []]);
        }

        /// <summary>Applies a layer without returnState to <paramref name="input"/> from <paramref name="initialState"/>: a decoder started from an encoder's states.</summary>
        public KerasTensor Apply(KerasTensor input, IReadOnlyList<KerasTensor> initialState)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(initialState);
            return Apply([input, .. initialState]);
        }

        /// <summary>True when the layer reads its input from the last step to the first (Keras's go_backwards); its sequence output is then in that order too.</summary>
        public bool GoBackwards { get; init; }

        /// <summary>The number of state tensors: 2 for an LSTM (h, c), 1 otherwise.</summary>
        public virtual int StateCount => 1;

        /// <summary>A layer like this one, unbuilt, named <paramref name="name"/>, reading the other way when <paramref name="reverse"/> (Bidirectional's copies).</summary>
        internal abstract RecurrentLayer Copy(string name, bool reverse);


        /// <inheritdoc/>
        private protected override string SeveralOutputsReason => $" (it has returnState: true, so it gives [output, {(StateCount == 2 ? "h, c" : "h")}])";

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["units"] = Units;
            config["return_sequences"] = ReturnSequences;
            config["return_state"] = ReturnState;
            config["go_backwards"] = GoBackwards;
            config["kernel_regularizer"] = LayerConfig.Describe(KernelRegularizer);
            config["recurrent_regularizer"] = LayerConfig.Describe(RecurrentRegularizer);
            config["bias_regularizer"] = LayerConfig.Describe(BiasRegularizer);
            return config;
        }

        /// <summary>The size of the hidden state h.</summary>
        public int Units { get; }

        /// <summary>True to output every step's h (batch, steps, units), false for the last one only (batch, units).</summary>
        public bool ReturnSequences { get; }

        /// <summary>W_x, (features, gates × units); available once built.</summary>
        public Output Kernel => IsBuilt ? _kernel : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>W_h, (units, gates × units); available once built.</summary>
        public Output RecurrentKernel => IsBuilt ? _recurrentKernel : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>b, (gates × units), or (2, gates × units) for a GRU with reset_after; available once built.</summary>
        public Output Bias => IsBuilt ? _bias : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>1 for a simple RNN, 4 for an LSTM, 3 for a GRU: the column blocks of the weights.</summary>
        protected abstract int GateCount { get; }

        /// <summary>The bias's initial value: zeros for a simple RNN and a GRU, the forget gate's ones for an LSTM.</summary>
        protected abstract Initializer BiasInit { get; }

        /// <summary>The engine's cell over this layer's weights.</summary>
        protected abstract RnnCell MakeCell(Graph g);

        /// <summary>The cell's final state in the order Keras returns it: h for a simple RNN and a GRU.</summary>
        private protected virtual Output[] StatesInKerasOrder(Output[] finalState) => finalState;

        /// <summary>States in Keras's order turned into the cell's: the inverse of <see cref="StatesInKerasOrder"/>.</summary>
        private protected virtual Output[] StatesInCellOrder(IReadOnlyList<Output> kerasStates) => [.. kerasStates];

        /// <summary>The output shape, then with returnState one (batch, units) shape per state.</summary>
        public override IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes)
        {
            if (inputShapes.Count != 1 && inputShapes.Count != 1 + StateCount)
                throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes its input, or its input and an initial state of {StateCount} tensor(s), but was given {inputShapes.Count} tensors.");
            var output = ComputeOutputShape(inputShapes[0]);
            var state = new Shape(inputShapes[0][0], Units);
            foreach (var initial in inputShapes.Skip(1))
                if (!initial.IsCompatibleWith(state))
                    throw new ShapeException($"Layer '{Name}' ({TypeName}) takes initial states of shape {Format(state)}, but got {Format(initial)}.");
            return ReturnState ? [output, .. Enumerable.Repeat(state, StateCount)] : [output];
        }

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireRank(inputShape, 3, "(batch, time, features)");
            int time = RequireKnown(inputShape, 1, "number of time steps (its axis 1), which the graph is unrolled over");
            return ReturnSequences ? new Shape(inputShape[0], time, Units) : new Shape(inputShape[0], Units);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape)
        {
            int features = RequireKnown(inputShape, 2, "number of features (its last axis)");
            _kernel = AddWeight(g, "kernel", Init.GlorotUniform([features, GateCount * Units]), regularizer: KernelRegularizer);
            _recurrentKernel = AddWeight(g, "recurrent_kernel", new OrthogonalInit(new Shape(Units, GateCount * Units)), regularizer: RecurrentRegularizer);
            _bias = AddWeight(g, "bias", BiasInit, regularizer: BiasRegularizer);
        }

        /// <summary>A penalty on the input kernel that joins the loss (Keras's kernel_regularizer): <c>new LSTM(10) { KernelRegularizer = "l2" }</c>.</summary>
        public Regularizer? KernelRegularizer { get; init; }

        /// <summary>A penalty on the recurrent kernel that joins the loss (Keras's recurrent_regularizer).</summary>
        public Regularizer? RecurrentRegularizer { get; init; }

        /// <summary>A penalty on the bias that joins the loss (Keras's bias_regularizer).</summary>
        public Regularizer? BiasRegularizer { get; init; }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => Call(g, [x], training)[0];

        /// <summary>The unrolled steps from the initial state (the inputs after the first, if any): the output, then with returnState the last states.</summary>
        protected override IReadOnlyList<Output> Call(Graph g, IReadOnlyList<Output> inputs, Output training)
        {
            var x = inputs[0];
            Output[]? initialState = inputs.Count > 1 ? StatesInCellOrder([.. inputs.Skip(1)]) : null;
            var result = GoBackwards
                ? g.StaticRnn(MakeCell(g), [.. g.Unstack(x, axis: 1, name: "steps").Reverse()], initialState)
                : g.StaticRnn(MakeCell(g), x, initialState);
            var output = ReturnSequences ? result.OutputSequence() : result.LastOutput;
            return ReturnState ? [output, .. StatesInKerasOrder(result.FinalState)] : [output];
        }
    }
}
