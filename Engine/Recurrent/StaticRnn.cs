namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// Unrolls <paramref name="cell"/> over a sequence of shape (batch, time, features) (TF1's static_rnn): time
    /// copies of the cell's equations, all reading the same weights, each step's state feeding the next. The
    /// number of steps must be known when the graph is built; the batch size need not be.
    /// </summary>
    /// <param name="cell">A <see cref="SimpleRnnCell"/>, an <see cref="LstmCell"/>, ...</param>
    /// <param name="sequence">The inputs, (batch, time, features).</param>
    /// <param name="initialState">The state before the first step (one tensor per <see cref="RnnCell.StateCount"/>); null is zeros.</param>
    /// <param name="name">The name scope of the unrolled steps.</param>
    public RnnResult StaticRnn(RnnCell cell, Output sequence, Output[]? initialState = null, string name = "rnn")
    {
        int time = CheckSequence(nameof(StaticRnn), cell, sequence);
        return Unroll(name, initialState, () => TimeSteps(sequence, time), cell);
    }

    /// <summary>The number of steps of a (batch, time, features) sequence, which must be known and at least 1.</summary>
    private int CheckSequence(string caller, RnnCell cell, Output sequence)
    {
        CheckOwned(sequence, "sequence");
        var shape = sequence.Shape;
        if (shape.Rank != 3)
            throw new ShapeException($"{caller} with cell '{cell.Name}' takes a sequence of shape (batch, time, features), got {shape}.");
        if (shape[1] == Shape.Unknown)
            throw new ShapeException($"{caller} with cell '{cell.Name}' unrolls a known number of steps, but the sequence's shape is {shape}.");
        if (shape[1] == 0)
            throw new ShapeException($"{caller} with cell '{cell.Name}' needs at least one time step, got {shape}.");
        return shape[1];
    }

    /// <summary>x_1 ... x_T cut out of the (batch, time, features) sequence, each (batch, features): one Unstack node, whose
    /// gradient stacks the steps' douts back in one pass.</summary>
    private Output[] TimeSteps(Output sequence, int time) => Unstack(sequence, axis: 1, name: "x");

    /// <summary>Unrolls <paramref name="cell"/> over the given steps x_1 ... x_T, each (batch, features).</summary>
    public RnnResult StaticRnn(RnnCell cell, IReadOnlyList<Output> steps, Output[]? initialState = null, string name = "rnn")
    {
        if (steps.Count == 0) throw new ArgumentException($"StaticRnn with cell '{cell.Name}' needs at least one time step.", nameof(steps));
        foreach (var x in steps) CheckOwned(x, "time step");
        return Unroll(name, initialState, () => [.. steps], cell);
    }

    private RnnResult Unroll(string name, Output[]? initialState, Func<Output[]> steps, RnnCell cell) =>
        AllOrNothing(cell, () =>
        {
            using (NameScope(name))
            {
                var state = initialState;
                var outputs = new List<Output>();
                foreach (var x in steps())
                {
                    (var h, state) = cell.Call(x, state);
                    outputs.Add(h);
                }
                return new RnnResult([.. outputs], state!);
            }
        });

    /// <summary>Runs an unroll's <paramref name="build"/>; if it throws, the graph and the cell are left as they were before it.</summary>
    private T AllOrNothing<T>(RnnCell cell, Func<T> build)
    {
        var mark = Mark();
        try
        {
            return build();
        }
        catch
        {
            RollBack(mark);
            cell.ForgetNodesFrom(mark.Nodes);
            throw;
        }
    }
}
