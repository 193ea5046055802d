using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// An unroll over a whole sequence computes x_t W_x + b for every step as one product before the loop; an unroll over a
/// list of steps reads each x_t in its step. Both must give the same values and gradients, for every cell that projects
/// its inputs ahead, and the sequence's form must really be one product whose gradient is one product.
/// </summary>
public class InputProjectionTests
{
    private const int Batch = 3, Time = 5, Features = 4, Units = 6;

    public enum CellKind { LstmFused, LstmUnfused, GruResetBefore, GruResetAfter, SimpleRnn }

    private static int Blocks(CellKind kind) => kind switch
    {
        CellKind.LstmFused or CellKind.LstmUnfused => 4,
        CellKind.GruResetBefore or CellKind.GruResetAfter => 3,
        _ => 1,
    };

    private static RnnCell MakeCell(CellKind kind, Output kernel, Output recurrentKernel, Output bias) => kind switch
    {
        CellKind.LstmFused => LstmCell.FromWeights(kernel, recurrentKernel, bias, fused: true),
        CellKind.LstmUnfused => LstmCell.FromWeights(kernel, recurrentKernel, bias, fused: false),
        CellKind.GruResetBefore => GruCell.FromWeights(kernel, recurrentKernel, bias),
        CellKind.GruResetAfter => GruCell.FromWeights(kernel, recurrentKernel, bias, resetAfter: true),
        _ => SimpleRnnCell.FromWeights(kernel, recurrentKernel, bias),
    };

    private static Tensor RandomTensor(Random rng, params int[] dims)
    {
        var data = new double[dims.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return Tensor.FromFlat(data, new Shape(dims));
    }

    /// <summary>
    /// Every h, the final state, and the gradients of a loss that weighs each h differently with respect to the input,
    /// the three weights and the initial state, from the sequence's unroll and from the list of steps' unroll.
    /// </summary>
    [Test]
    public void ProjectingAheadGivesTheSameValuesAndGradientsAsStepByStep(
        [Values] CellKind kind, [Values] bool withInitialState)
    {
        var rng = new Random(7 + (int)kind);
        int blocks = Blocks(kind), stateCount = kind is CellKind.LstmFused or CellKind.LstmUnfused ? 2 : 1;
        var values = new List<Tensor>
        {
            RandomTensor(rng, Batch, Time, Features),
            RandomTensor(rng, Features, blocks * Units),
            RandomTensor(rng, Units, blocks * Units),
            kind == CellKind.GruResetAfter ? RandomTensor(rng, 2, blocks * Units) : RandomTensor(rng, blocks * Units),
            RandomTensor(rng, Batch, Time * Units),
        };
        for (int k = 0; k < stateCount; k++) values.Add(RandomTensor(rng, Batch, Units));

        double[][] Run(bool wholeSequence)
        {
            var g = new Graph();
            var x = values.Select((v, k) => g.Placeholder(DType.Float64, v.Shape, $"x{k}")).ToArray();
            var cell = MakeCell(kind, x[1], x[2], x[3]);
            Output[]? initialState = withInitialState ? x[5..] : null;
            var result = wholeSequence
                ? g.StaticRnn(cell, x[0], initialState)
                : g.StaticRnn(cell, g.Unstack(x[0], axis: 1), initialState);
            var hs = g.Concat(result.Outputs, axis: 1);
            var loss = g.ReduceSum(hs * x[4]) + g.ReduceSum(g.Square(result.FinalState[0]));
            var grads = g.Gradients([loss], withInitialState ? [.. x[..4], .. x[5..]] : x[..4]);
            using var sess = new Session(g);
            var feeds = new FeedDict();
            for (int k = 0; k < values.Count; k++) feeds[x[k]] = values[k];
            Fetch[] fetches = [hs, .. result.FinalState.Select(s => (Fetch)s), .. grads.Select(d => (Fetch)d!.Value)];
            return [.. sess.Run(fetches, feeds).Select(t => t.ToDoubles())];
        }

        var ahead = Run(wholeSequence: true);
        var stepByStep = Run(wholeSequence: false);
        Assert.That(ahead, Has.Length.EqualTo(stepByStep.Length));
        for (int k = 0; k < ahead.Length; k++)
        {
            double scale = stepByStep[k].Max(Math.Abs);
            Assert.That(scale, Is.GreaterThan(1e-3), $"fetch {k} is not all zeros, so the comparison means something");
            // Float64: the two forms differ only in the order the products' terms are added.
            Assert.That(ahead[k], Is.EqualTo(stepByStep[k]).Within(1e-12 * Math.Max(1, scale)), $"fetch {k}");
        }
    }

    /// <summary>
    /// The sequence's unroll multiplies the kernel once, and the kernel's gradient is that product's gradient alone: one
    /// GEMM over all the steps, not one per step summed by an AddN.
    /// </summary>
    [Test]
    public void TheKernelIsMultipliedOnceAndItsGradientIsOneProduct([Values] CellKind kind)
    {
        var g = new Graph { Seed = 3 };
        var rng = new Random(1);
        int blocks = Blocks(kind);
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var kernel = g.Variable(Init.GlorotUniform([Features, blocks * Units]), "kernel");
        var recurrentKernel = g.Variable(Init.GlorotUniform([Units, blocks * Units]), "recurrent_kernel");
        var bias = g.Variable(kind == CellKind.GruResetAfter ? Init.Zeros(2, blocks * Units) : Init.Zeros(blocks * Units), "bias");
        var result = g.StaticRnn(MakeCell(kind, kernel, recurrentKernel, bias), x);
        int readers = g.Nodes.Count(n => n.Op is MatMul && n.Inputs.Contains(kernel));
        Assert.That(readers, Is.EqualTo(1), "one product of the kernel for all the steps");

        var dKernel = g.Gradients([g.ReduceSum(result.LastOutput)], [kernel])[0]!.Value;
        Assert.That(dKernel.Node.Op, Is.InstanceOf<MatMul>(), $"dkernel is made by {dKernel.Node.Op.GetType().Name}");

        // And it runs on an unknown batch size, which the product's reshapes infer.
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var input = Tensor.FromFlat(Enumerable.Range(0, 2 * Time * Features).Select(_ => (float)rng.NextDouble()).ToArray(), new Shape(2, Time, Features));
        var feeds = new FeedDict { [x] = input };
        Assert.That(sess.Run(result.LastOutput, feeds).Shape, Is.EqualTo(new Shape(2, Units)));
    }
}
