namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// Runs <paramref name="cell"/> over a batch of sequences of different lengths (tf.nn.dynamic_rnn with
    /// time_major=False): row n of the batch is a sequence of <c>sequenceLength[n]</c> steps padded to the
    /// common length. At a step t at or past a row's length, that row's output is zero and its state is copied
    /// through unchanged, so the final state of each row is its state after its own last step, as in TF1.
    /// </summary>
    /// <remarks>
    /// TF1 builds a while loop; this graph has none, so the steps are unrolled as in <see cref="StaticRnn(RnnCell, Output, Output[], string)"/>
    /// and the number of steps must be known when the graph is built; the lengths are fed at run time. The
    /// copy-through is a <c>Where(t &lt; length, new, old)</c> per row, so the gradient of a padded step's output
    /// is zero and a row's final state passes its gradient straight to the step where the row ended: padding
    /// neither changes the values nor the gradients.
    /// </remarks>
    /// <param name="cell">A <see cref="SimpleRnnCell"/>, <see cref="LstmCell"/>, <see cref="GruCell"/>, <see cref="MultiRnnCell"/>, ...</param>
    /// <param name="inputs">The padded sequences, (batch, time, features), time known.</param>
    /// <param name="sequenceLength">Int32 (batch): each row's length; null runs every row for all the steps.</param>
    /// <param name="initialState">The state before the first step (one tensor per <see cref="RnnCell.StateCount"/>); null is zeros.</param>
    /// <param name="name">The name scope of the unrolled steps.</param>
    public DynamicRnnResult DynamicRnn(RnnCell cell, Output inputs, Output? sequenceLength = null, Output[]? initialState = null, string name = "rnn")
    {
        int time = CheckSequence(nameof(DynamicRnn), cell, inputs);
        if (sequenceLength is { } lengths) CheckSequenceLength(cell, inputs, lengths);

        return AllOrNothing(cell, () =>
        {
            using (NameScope(name))
            {
                // (batch, 1), so that one row's flag broadcasts over that row's units.
                Output? rowLengths = sequenceLength is { } given ? ExpandDims(given, 1, "row_lengths") : null;
                var state = initialState;
                var outputs = new List<Output>();
                var steps = TimeSteps(inputs, time);
                for (int t = 0; t < time; t++)
                {
                    var (h, next) = cell.Call(steps[t], state);
                    if (rowLengths is { } lengthsByRow)
                    {
                        var running = Less(Constant(Tensor.Scalar(t), $"t_{t}"), lengthsByRow, $"running_{t}");
                        h = Where(running, h, ScalarLike(0, h));
                        // A row that has ended keeps its state; before the first step that is the initial state, zeros if none.
                        var previous = state;
                        next = [.. next.Select((s, k) => Where(running, s, previous is null ? ScalarLike(0, s) : previous[k]))];
                    }
                    outputs.Add(h);
                    state = next;
                }
                return new DynamicRnnResult(new RnnResult([.. outputs], state!).OutputSequence(), state!);
            }
        });
    }

    private void CheckSequenceLength(RnnCell cell, Output inputs, Output sequenceLength)
    {
        CheckOwned(sequenceLength, "sequenceLength");
        if (sequenceLength.DType != DType.Int32)
            throw new ArgumentException(
                $"DynamicRnn with cell '{cell.Name}' needs an Int32 sequenceLength, got '{sequenceLength.Name}' of {sequenceLength.DType}.",
                nameof(sequenceLength));
        int batch = inputs.Shape[0];
        var shape = sequenceLength.Shape;
        if (shape.Rank != 1 || shape[0] != Shape.Unknown && batch != Shape.Unknown && shape[0] != batch)
            throw new ShapeException(
                $"DynamicRnn with cell '{cell.Name}' needs a sequenceLength of shape (batch), one length per row of inputs {inputs.Shape}, but '{sequenceLength.Name}' has shape {shape}.");
    }
}

/// <summary>What <see cref="Graph.DynamicRnn"/> returns (TF1's (outputs, state) pair).</summary>
/// <param name="Outputs">Every step's output, (batch, time, units); zeros where a row has ended.</param>
/// <param name="FinalState">Each row's state after its own last step: [h] for a simple RNN or a GRU, [c, h] for an LSTM, the layers' states one after the other for a <see cref="MultiRnnCell"/>.</param>
public sealed record DynamicRnnResult(Output Outputs, Output[] FinalState);
