using NUnit.Framework;
namespace GraphDL.Tests.Engine;

/// <summary>
/// Every differentiable op in every attribute combination, as gradient-check cases, each checked in first and in
/// second order (the gradient of its gradient).
/// </summary>
public static class OpCatalogue
{
    private static Shape S(params int[] d) => new(d);

    private static readonly (string Name, Shape A, Shape B)[] BroadcastPatterns =
    [
        ("same", S(3, 4), S(3, 4)),
        ("row", S(3, 4), S(4)),
        ("row-first", S(4), S(3, 4)),
        ("column", S(3, 4), S(3, 1)),
        ("outer", S(3, 1), S(1, 4)),
        ("scalar", S(3, 4), S()),
        ("scalar-first", S(), S(3, 4)),
        ("rank3", S(2, 3, 4), S(3, 1)),
    ];

    public static IEnumerable<GradCase> Cases()
    {
        var awayFromZero = GradCase.AwayFromZero();
        var positive = GradCase.Positive();

        // Unary math and activations.
        yield return new("Neg", [S(3, 4)], (g, x) => g.Neg(x[0]));
        yield return new("Abs", [S(3, 4)], (g, x) => g.Abs(x[0])) { Sample = awayFromZero };
        yield return new("Sign", [S(3, 4)], (g, x) => g.Sign(x[0])) { Sample = awayFromZero };
        yield return new("Square", [S(3, 4)], (g, x) => g.Square(x[0]));
        yield return new("Sqrt", [S(3, 4)], (g, x) => g.Sqrt(x[0])) { Sample = positive };
        yield return new("Rsqrt", [S(3, 4)], (g, x) => g.Rsqrt(x[0])) { Sample = positive };
        yield return new("Reciprocal", [S(3, 4)], (g, x) => g.Reciprocal(x[0])) { Sample = awayFromZero };
        yield return new("Exp", [S(3, 4)], (g, x) => g.Exp(x[0]));
        yield return new("Log", [S(3, 4)], (g, x) => g.Log(x[0])) { Sample = positive };
        yield return new("Sin", [S(3, 4)], (g, x) => g.Sin(x[0]));
        yield return new("Cos", [S(3, 4)], (g, x) => g.Cos(x[0]));
        yield return new("Floor", [S(3, 4)], (g, x) => g.Floor(x[0])) { Sample = r => r.Next(-3, 3) + 0.1 + 0.8 * r.NextDouble() };
        yield return new("Sigmoid", [S(3, 4)], (g, x) => g.Sigmoid(x[0]));
        yield return new("ReluGrad", [S(3, 4), S(3, 4)], (g, x) => g.ReluGrad(x[0], x[1])) { Sample = awayFromZero };
        yield return new("Tanh", [S(3, 4)], (g, x) => g.Tanh(x[0]));
        yield return new("Relu", [S(3, 4)], (g, x) => g.Relu(x[0])) { Sample = awayFromZero };
        yield return new("Step", [S(3, 4)], (g, x) => g.Step(x[0])) { Sample = awayFromZero };
        yield return new("Softplus", [S(3, 4)], (g, x) => g.Softplus(x[0]));
        yield return new("LeakyRelu", [S(3, 4)], (g, x) => g.LeakyRelu(x[0], 0.1)) { Sample = awayFromZero };
        yield return new("Elu", [S(3, 4)], (g, x) => g.Elu(x[0], 0.7)) { Sample = awayFromZero };
        yield return new("Tan", [S(3, 4)], (g, x) => g.Tan(x[0])) { Sample = r => r.NextDouble() * 2.4 - 1.2 };   // inside the poles at ±π/2
        yield return new("Atan", [S(3, 4)], (g, x) => g.Atan(x[0]));
        yield return new("Log1p", [S(3, 4)], (g, x) => g.Log1p(x[0])) { Sample = r => r.NextDouble() * 3 - 0.7 };   // above -1
        yield return new("Expm1", [S(3, 4)], (g, x) => g.Expm1(x[0]));
        yield return new("Round", [S(3, 4)], (g, x) => g.Round(x[0])) { Sample = r => r.Next(-3, 3) - 0.4 + 0.8 * r.NextDouble() };   // away from the jumps at k + ½

        // Binary ops in every broadcasting pattern.
        foreach (var (pattern, a, b) in BroadcastPatterns)
        {
            yield return new($"Add/{pattern}", [a, b], (g, x) => g.Add(x[0], x[1]));
            yield return new($"Sub/{pattern}", [a, b], (g, x) => g.Sub(x[0], x[1]));
            yield return new($"Mul/{pattern}", [a, b], (g, x) => g.Mul(x[0], x[1]));
            yield return new($"Div/{pattern}", [a, b], (g, x) => g.Div(x[0], x[1])) { Sample = awayFromZero };
            yield return new($"Pow/{pattern}", [a, b], (g, x) => g.Pow(x[0], x[1])) { Sample = positive };
            yield return new($"Maximum/{pattern}", [a, b], (g, x) => g.Maximum(x[0], x[1]));
            yield return new($"Minimum/{pattern}", [a, b], (g, x) => g.Minimum(x[0], x[1]));
            yield return new($"SquaredDifference/{pattern}", [a, b], (g, x) => g.SquaredDifference(x[0], x[1]));
            yield return new($"Where/{pattern}", [a, b], (g, x) => g.Where(g.Greater(x[0], g.ScalarLike(0, x[0])), x[0], x[1]))
                { Sample = awayFromZero };
        }
        yield return new("AddN", [S(2, 3), S(2, 3), S(2, 3)], (g, x) => g.AddN(x));

        // MatMul, all four transposes.
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
            yield return new($"MatMul/{ta}-{tb}", [ta ? S(4, 3) : S(3, 4), tb ? S(5, 4) : S(4, 5)], (g, x) => g.MatMul(x[0], x[1], ta, tb));

        // Reductions over each axis set, with and without keepDims. Products get factors near ±1, so that the
        // partial derivatives of a product of 24 are neither tiny nor huge next to the fixed tolerance.
        var nearOne = GradCase.AwayFromZero(0.7, 1.3);
        int[]?[] axisSets = [null, [0], [1], [-1], [0, 2], [0, 1, 2]];
        foreach (var axes in axisSets)
            foreach (bool keep in new[] { false, true })
            {
                string label = $"{(axes is null ? "all" : string.Join(",", axes))}{(keep ? "/keep" : "")}";
                yield return new($"ReduceSum/{label}", [S(2, 3, 4)], (g, x) => g.ReduceSum(x[0], axes, keep));
                yield return new($"ReduceMean/{label}", [S(2, 3, 4)], (g, x) => g.ReduceMean(x[0], axes, keep));
                yield return new($"ReduceMax/{label}", [S(2, 3, 4)], (g, x) => g.ReduceMax(x[0], axes, keep));
                yield return new($"ReduceMin/{label}", [S(2, 3, 4)], (g, x) => g.ReduceMin(x[0], axes, keep));
                yield return new($"ReduceProd/{label}", [S(2, 3, 4)], (g, x) => g.ReduceProd(x[0], axes, keep)) { Sample = nearOne };
            }

        // Softmax family and the cross entropies.
        yield return new("Softmax/rank2", [S(3, 5)], (g, x) => g.Softmax(x[0]));
        yield return new("Softmax/rank3", [S(2, 3, 4)], (g, x) => g.Softmax(x[0]));
        yield return new("LogSoftmax/rank2", [S(3, 5)], (g, x) => g.LogSoftmax(x[0]));
        yield return new("LogSoftmax/rank3", [S(2, 3, 4)], (g, x) => g.LogSoftmax(x[0]));
        yield return new("SoftmaxCrossEntropyWithLogits", [S(4, 3), S(4, 3)],
            (g, x) => g.SoftmaxCrossEntropyWithLogits(g.Softmax(x[1]), x[0]));
        yield return new("SparseSoftmaxCrossEntropyWithLogits", [S(4, 3)],
            (g, x) => g.SparseSoftmaxCrossEntropyWithLogits(g.Constant(new[] { 0, 2, 1, 2 }), x[0]));
        yield return new("SigmoidCrossEntropyWithLogits", [S(3, 4), S(3, 4)],
            (g, x) => g.SigmoidCrossEntropyWithLogits(g.Sigmoid(x[1]), x[0]));

        // Losses composed from the ops above.
        yield return new("MeanSquaredError", [S(3, 4), S(3, 4)], (g, x) => g.MeanSquaredError(x[0], x[1]));
        yield return new("MeanAbsoluteError", [S(3, 4), S(3, 4)], (g, x) => g.MeanAbsoluteError(x[0], x[1] + 5.0));
        yield return new("HuberLoss", [S(3, 4), S(3, 4)], (g, x) => g.HuberLoss(x[0], x[1], delta: 1.0)) { Sample = r => r.NextDouble() * 6 - 3 };
        yield return new("HingeLoss", [S(3, 4)],
            (g, x) => g.HingeLoss(g.Constant(new double[,] { { 0, 1, 1, 0 }, { 1, 0, 0, 1 }, { 1, 1, 0, 0 } }), x[0])) { Sample = r => r.NextDouble() * 0.8 - 0.4 };
        yield return new("Dropout/keep-all", [S(3, 4)], (g, x) => g.Dropout(x[0], g.ScalarLike(1.0, x[0])));

        // The normalisation helpers of tf.nn, composed from the ops above.
        yield return new("L2Loss", [S(3, 4)], (g, x) => g.L2Loss(x[0]));
        yield return new("L2Normalize/1", [S(3, 4)], (g, x) => g.L2Normalize(x[0], 1));
        yield return new("L2Normalize/all", [S(3, 4)], (g, x) => g.L2Normalize(x[0]));
        yield return new("L2Normalize/0,2", [S(2, 3, 4)], (g, x) => g.L2Normalize(x[0], [0, 2]));
        // Every row's Σ x² is below ε here, so the maximum takes ε and y = x / √ε.
        yield return new("L2Normalize/epsilon-wins", [S(3, 4)], (g, x) => g.L2Normalize(x[0], 1, epsilon: 1.0))
            { Sample = r => 0.4 * r.NextDouble() - 0.2 };
        foreach (var axes in new int[]?[] { null, [0], [-1], [0, 2] })
            foreach (bool keep in new[] { false, true })
            {
                string label = $"{(axes is null ? "all" : string.Join(",", axes))}{(keep ? "/keep" : "")}";
                yield return new($"Moments/mean/{label}", [S(2, 3, 4)], (g, x) => g.Moments(x[0], axes, keep).Mean);
                yield return new($"Moments/variance/{label}", [S(2, 3, 4)], (g, x) => g.Moments(x[0], axes, keep).Variance);
            }
        // Positive samples keep the variance input away from rsqrt's pole; x, mean, offset and scale need no care.
        yield return new("BatchNormalization/features", [S(4, 3), S(3), S(3), S(3), S(3)],
            (g, x) => g.BatchNormalization(x[0], x[1], x[2], x[3], x[4], 1e-3)) { Sample = positive };
        yield return new("BatchNormalization/no-offset-scale", [S(4, 3), S(3), S(3)],
            (g, x) => g.BatchNormalization(x[0], x[1], x[2], null, null, 1e-3)) { Sample = positive };
        yield return new("BatchNormalization/nhwc-batch-moments", [S(2, 3, 2, 2), S(2), S(2)], (g, x) =>
        {
            var (mean, variance) = g.Moments(x[0], [0, 1, 2]);
            return g.BatchNormalization(x[0], mean, variance, x[1], x[2], 1e-3);
        });
        // Local response normalization, a band-matrix MatMul of the squares under Pow: TF1's defaults (a window wider
        // than the 5 channels), a window inside them, one channel alone (r = 0), and AlexNet-like bias, alpha and beta.
        yield return new("LocalResponseNormalization/defaults", [S(2, 2, 3, 5)], (g, x) => g.LocalResponseNormalization(x[0]));
        yield return new("LocalResponseNormalization/r1", [S(2, 2, 2, 5)], (g, x) => g.LocalResponseNormalization(x[0], 1));
        yield return new("LocalResponseNormalization/r0", [S(1, 2, 2, 3)], (g, x) => g.LocalResponseNormalization(x[0], 0, bias: 0.5, alpha: 2));
        yield return new("LocalResponseNormalization/r2-alexnet", [S(1, 2, 3, 6)],
            (g, x) => g.Lrn(x[0], depthRadius: 2, bias: 2, alpha: 0.3, beta: 0.75));

        // Shape and indexing ops.
        yield return new("Cast", [S(3, 4)], (g, x) => g.Cast(x[0], DType.Float64, "cast"));
        yield return new("Identity", [S(3, 4)], (g, x) => g.Identity(x[0]));
        yield return new("CheckNumerics", [S(3, 4)], (g, x) => g.CheckNumerics(x[0], "finite"));
        yield return new("Reshape", [S(3, 4)], (g, x) => g.Reshape(x[0], [2, -1, 3]));
        yield return new("ExpandDims/0", [S(3, 4)], (g, x) => g.ExpandDims(x[0], 0));
        yield return new("ExpandDims/-1", [S(3, 4)], (g, x) => g.ExpandDims(x[0], -1));
        yield return new("Squeeze/all", [S(3, 1, 4, 1)], (g, x) => g.Squeeze(x[0]));
        yield return new("Squeeze/axis", [S(3, 1, 4, 1)], (g, x) => g.Squeeze(x[0], [1]));
        yield return new("Transpose/default", [S(3, 4)], (g, x) => g.Transpose(x[0]));
        yield return new("Transpose/rank3", [S(2, 3, 4)], (g, x) => g.Transpose(x[0], [1, 2, 0]));
        yield return new("Concat/0", [S(2, 3), S(4, 3)], (g, x) => g.Concat(x, 0));
        yield return new("Concat/1", [S(2, 3), S(2, 1), S(2, 2)], (g, x) => g.Concat(x, 1));
        yield return new("Slice", [S(4, 5)], (g, x) => g.Slice(x[0], [1, 2], [2, -1]));
        yield return new("Gather/0", [S(5, 3)], (g, x) => g.Gather(x[0], g.Constant(new[] { 4, 0, 4, 2 })));
        yield return new("Gather/1", [S(3, 5)], (g, x) => g.Gather(x[0], g.Constant(new[,] { { 1, 1 }, { 3, 0 } }), axis: 1));
        yield return new("Tile", [S(2, 3)], (g, x) => g.Tile(x[0], [2, 3]));
        yield return new("Stack/0", [S(2, 3), S(2, 3), S(2, 3)], (g, x) => g.Stack(x, 0));
        yield return new("Stack/-1", [S(2, 3), S(2, 3)], (g, x) => g.Stack(x, -1));
        yield return new("Unstack/1", [S(3, 4, 2)], (g, x) => g.Concat(g.Unstack(x[0], 1), 0));
        yield return new("Unstack/one-used", [S(3, 4)], (g, x) => g.Unstack(x[0], -1)[2]);
        yield return new("Split/count", [S(2, 6)], (g, x) => g.Concat(g.Split(x[0], 3, 1).Reverse().ToArray(), 1));
        yield return new("Split/sizes", [S(5, 2)], (g, x) => g.Concat(g.Split(x[0], [1, -1, 2]).Reverse().ToArray(), 0));
        yield return new("Split/one-used", [S(2, 6)], (g, x) => g.Split(x[0], [2, 4], axis: -1)[1]);
        foreach (var mode in new[] { PadMode.Constant, PadMode.Reflect, PadMode.Symmetric })
        {
            // Each mode's widest paddings (Reflect: dimension - 1, Symmetric: dimension) at one edge or other.
            int[,] paddings = mode == PadMode.Symmetric ? new[,] { { 3, 1 }, { 0, 4 } } : new[,] { { 2, 1 }, { 3, 0 } };
            double constant = mode == PadMode.Constant ? 0.5 : 0;
            yield return new($"Pad/{mode}", [S(3, 4)], (g, x) => g.Pad(x[0], paddings, mode, constant));
            // Squared, so the second derivative is not zero and runs through PadGrad's own gradient.
            yield return new($"Pad/{mode}-squared", [S(3, 4)], (g, x) => g.Square(g.Pad(x[0], paddings, mode, constant)));
            yield return new($"PadGrad/{mode}", [S(3 + paddings[0, 0] + paddings[0, 1], 4 + paddings[1, 0] + paddings[1, 1])],
                (g, x) => g.AddOp(new PadGrad { Paddings = paddings, Mode = mode }, [x[0], g.Zeros(S(3, 4), DType.Float64)]));
        }
        yield return new("ZerosLike", [S(3, 4)], (g, x) => g.ZerosLike(x[0]) + x[0]);
        yield return new("OnesLike", [S(3, 4)], (g, x) => g.OnesLike(x[0]) * x[0]);
        yield return new("Size", [S(3, 4)], (g, x) => g.Size(x[0], DType.Float64) * x[0]);

        // The helper ops gradients are made of: their own gradients make second derivatives work.
        yield return new("BroadcastTo", [S(3, 1)], (g, x) => g.BroadcastTo(x[0], g.Zeros(S(2, 3, 4), DType.Float64)));
        yield return new("SumToShape", [S(2, 3, 4)], (g, x) => g.AddOp(new SumToShape(), [x[0], g.Zeros(S(3, 1), DType.Float64)]));
        yield return new("ReshapeLike", [S(3, 4)], (g, x) => g.ReshapeLike(x[0], g.Zeros(S(2, 6), DType.Float64)));
        yield return new("SliceGrad", [S(2, 3)],
            (g, x) => g.AddOp(new SliceGrad { Begin = [1, 1], Size = [2, -1] }, [x[0], g.Zeros(S(4, 4), DType.Float64)]));
        yield return new("GatherGrad", [S(4, 3)],
            (g, x) => g.AddOp(new GatherGrad(), [x[0], g.Constant(new[] { 1, 1, 0, 4 }), g.Zeros(S(5, 3), DType.Float64)]));
        yield return new("TileGrad", [S(4, 9)],
            (g, x) => g.AddOp(new TileGrad { Multiples = [2, 3] }, [x[0], g.Zeros(S(2, 3), DType.Float64)]));

        // Convolution and pooling (NHWC): each padding, square and unequal strides, a stride that leaves a remainder.
        yield return new("Conv2D/valid", [S(2, 5, 6, 3), S(3, 2, 3, 4)], (g, x) => g.Conv2D(x[0], x[1]));
        yield return new("Conv2D/valid-stride3-remainder", [S(1, 8, 7, 2), S(3, 3, 2, 2)], (g, x) => g.Conv2D(x[0], x[1], stride: 3));
        yield return new("Conv2D/same-stride2", [S(2, 7, 6, 2), S(3, 3, 2, 3)], (g, x) => g.Conv2D(x[0], x[1], 2, Padding.Same));
        yield return new("Conv2D/same-even-filter", [S(1, 5, 5, 2), S(2, 4, 2, 2)], (g, x) => g.Conv2D(x[0], x[1], padding: Padding.Same));
        yield return new("Conv2D/explicit-strides2x1", [S(1, 6, 5, 2), S(2, 3, 2, 2)],
            (g, x) => g.Conv2D(x[0], x[1], (2, 1), Padding.Explicit(1, 0, 2, 1)));
        yield return new("Conv2DBackpropInput/same-stride2", [S(2, 4, 3, 3), S(3, 3, 2, 3)],
            (g, x) => g.AddOp(new Conv2DBackpropInput { StrideHeight = 2, StrideWidth = 2, Padding = Padding.Same },
                [x[0], x[1], g.Zeros(S(2, 7, 6, 2), DType.Float64)]));
        yield return new("Conv2DBackpropInput/explicit", [S(1, 3, 6, 2), S(2, 3, 2, 2)],
            (g, x) => g.AddOp(new Conv2DBackpropInput { StrideHeight = 2, StrideWidth = 1, Padding = Padding.Explicit(1, 0, 2, 1) },
                [x[0], x[1], g.Zeros(S(1, 6, 5, 2), DType.Float64)]));
        yield return new("Conv2DBackpropFilter/same-stride2", [S(2, 7, 6, 2), S(2, 4, 3, 3)],
            (g, x) => g.AddOp(new Conv2DBackpropFilter { StrideHeight = 2, StrideWidth = 2, Padding = Padding.Same },
                [x[0], x[1], g.Zeros(S(3, 3, 2, 3), DType.Float64)]));
        yield return new("Conv2DBackpropFilter/valid-stride3", [S(1, 8, 7, 2), S(1, 2, 2, 2)],
            (g, x) => g.AddOp(new Conv2DBackpropFilter { StrideHeight = 3, StrideWidth = 3 },
                [x[0], x[1], g.Zeros(S(3, 3, 2, 2), DType.Float64)]));
        yield return new("MaxPool/valid-2", [S(2, 4, 6, 3)], (g, x) => g.MaxPool(x[0]));
        yield return new("MaxPool/valid-3-stride2-remainder", [S(1, 8, 7, 2)], (g, x) => g.MaxPool(x[0], 3, stride: 2));
        yield return new("MaxPool/same-3-stride2", [S(2, 5, 6, 2)], (g, x) => g.MaxPool(x[0], 3, 2, Padding.Same));
        yield return new("MaxPool/explicit-2x3", [S(1, 5, 5, 2)], (g, x) => g.MaxPool(x[0], (2, 3), (1, 2), Padding.Explicit(1, 0, 2, 1)));
        yield return new("AvgPool/valid-2", [S(2, 4, 6, 3)], (g, x) => g.AvgPool(x[0]));
        yield return new("AvgPool/same-3-stride2", [S(2, 5, 6, 2)], (g, x) => g.AvgPool(x[0], 3, 2, Padding.Same));
        yield return new("AvgPool/explicit-2x3", [S(1, 5, 5, 2)], (g, x) => g.AvgPool(x[0], (2, 3), (1, 2), Padding.Explicit(1, 0, 2, 1)));
        yield return new("MaxPoolGrad/same-3-stride2", [S(2, 5, 6, 2), S(2, 3, 3, 2)],
            (g, x) => g.AddOp(new MaxPoolGrad { WindowHeight = 3, WindowWidth = 3, Padding = Padding.Same }, [x[0], x[1]]));
        yield return new("MaxPoolGradGrad/same-3-stride2", [S(2, 5, 6, 2), S(2, 5, 6, 2)],
            (g, x) => g.AddOp(new MaxPoolGradGrad { WindowHeight = 3, WindowWidth = 3, Padding = Padding.Same }, [x[0], x[1]]));
        yield return new("AvgPoolGrad/same-3-stride2", [S(2, 3, 3, 2)],
            (g, x) => g.AddOp(new AvgPoolGrad { WindowHeight = 3, WindowWidth = 3, Padding = Padding.Same },
                [x[0], g.Zeros(S(2, 5, 6, 2), DType.Float64)]));
        yield return new("Flatten", [S(2, 3, 2, 2)], (g, x) => g.Flatten(x[0]));

        // Batched MatMul: rank 3 and rank 4 in all four transposes, and batch axes that broadcast.
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            yield return new($"MatMul/rank3/{ta}-{tb}", [ta ? S(2, 4, 3) : S(2, 3, 4), tb ? S(2, 5, 4) : S(2, 4, 5)],
                (g, x) => g.MatMul(x[0], x[1], ta, tb));
            yield return new($"MatMul/rank4/{ta}-{tb}", [ta ? S(2, 3, 4, 2) : S(2, 3, 2, 4), tb ? S(2, 3, 3, 4) : S(2, 3, 4, 3)],
                (g, x) => g.MatMul(x[0], x[1], ta, tb));
        }
        yield return new("MatMul/matrix-times-batch", [S(3, 4), S(2, 4, 5)], (g, x) => g.MatMul(x[0], x[1]));
        yield return new("MatMul/batch-times-matrix-transposed", [S(2, 3, 4), S(5, 4)], (g, x) => g.MatMul(x[0], x[1], transposeB: true));
        yield return new("MatMul/broadcast-size-1-axes", [S(2, 1, 3, 4), S(3, 4, 2)], (g, x) => g.MatMul(x[0], x[1]));

        // Einsum, composed from Transpose, Reshape, MatMul, Mul and ReduceSum: one case per way it is put together.
        foreach (var (equation, shapes) in new (string, Shape[])[]
        {
            ("ij,jk->ik", [S(3, 4), S(4, 2)]),
            ("bij,bjk->bik", [S(2, 3, 4), S(2, 4, 2)]),
            ("bi,bi->b", [S(3, 4), S(3, 4)]),
            ("i,j->ij", [S(3), S(4)]),
            ("bhqd,bhkd->bhqk", [S(2, 2, 3, 4), S(2, 2, 2, 4)]),
            ("ji,kj->ik", [S(4, 3), S(2, 4)]),
            ("ijk,kj->i", [S(2, 3, 4), S(4, 3)]),
        })
            yield return new($"Einsum/{equation}", shapes, (g, x) => g.Einsum(equation, x[0], x[1]));
        foreach (string equation in new[] { "ij->ji", "ij->", "ij->i", "ii->", "ii->i" })
            yield return new($"Einsum/{equation}", [equation.StartsWith("ii") ? S(3, 3) : S(3, 4)], (g, x) => g.Einsum(equation, x[0]));

        // Conv1D, a Conv2D over one-row images: each padding, with a stride that leaves a remainder.
        yield return new("Conv1D/valid-stride2", [S(2, 8, 3), S(3, 3, 2)], (g, x) => g.Conv1D(x[0], x[1], 2));
        yield return new("Conv1D/same", [S(2, 7, 2), S(3, 2, 3)], (g, x) => g.Conv1D(x[0], x[1], padding: Padding.Same));
        yield return new("Conv1D/same-stride2", [S(1, 7, 2), S(4, 2, 2)], (g, x) => g.Conv1D(x[0], x[1], 2, Padding.Same));

        // CTC loss: first order only, as in TF1 its gradient is computed inside the op and has no gradient itself.
        // Rows of different label and logit lengths, repeats that need a blank between them, each option.
        const string noSecondOrder = "No second derivative of CtcLoss";
        yield return new("CtcLoss/time-major", [S(5, 2, 4)], (g, x) => g.CtcLoss(
            g.Constant(new[,] { { 0, 1, 1 }, { 2, 0, 0 } }), x[0], g.Constant(new[] { 3, 1 }), g.Constant(new[] { 5, 3 })))
            { SecondOrderError = noSecondOrder };
        yield return new("CtcLoss/batch-major-blank-0", [S(2, 4, 3)], (g, x) => g.CtcLoss(
            g.Constant(new[,] { { 1, 2 }, { 2, 2 } }), x[0], g.Constant(new[] { 2, 2 }), g.Constant(new[] { 4, 3 }), blankIndex: 0, timeMajor: false))
            { SecondOrderError = noSecondOrder };
        yield return new("CtcLoss/no-merge-collapse", [S(4, 2, 3)], (g, x) => g.CtcLoss(
            g.Constant(new[,] { { 0, 0, 1 }, { 1, 1, 0 } }), x[0], g.Constant(new[] { 3, 2 }), g.Constant(new[] { 4, 2 }),
            ctcMergeRepeated: false, preprocessCollapseRepeated: true)) { SecondOrderError = noSecondOrder };
        yield return new("CtcLoss/ignore-longer", [S(3, 2, 3)], (g, x) => g.CtcLoss(
            g.Constant(new[,] { { 0, 1, 0, 1 }, { 1, 0, 0, 0 } }), x[0], g.Constant(new[] { 4, 1 }), g.Constant(new[] { 3, 3 }),
            ignoreLongerOutputsThanInputs: true)) { SecondOrderError = noSecondOrder };

        // The fused LSTM step and its fused gradient, with c_prev and from the zero state; c and h are joined so that both
        // outputs' gradients are checked, and h alone leaves c's gradient to the op's zeros. LstmBlockCellGrad's own
        // gradient is the gradient of the composed formula, so its second order is a third derivative of the cell.
        static Output Both((Output C, Output H) step) => step.C.Graph.Concat([step.C, step.H], axis: 1);
        yield return new("LstmBlockCell/c_prev", [S(3, 8), S(3, 2)], (g, x) => Both(g.LstmBlockCell(x[0], x[1])));
        yield return new("LstmBlockCell/zero-state", [S(3, 8)], (g, x) => Both(g.LstmBlockCell(x[0])));
        yield return new("LstmBlockCell/h-only", [S(2, 12), S(2, 3)], (g, x) => g.LstmBlockCell(x[0], x[1]).H);
        yield return new("LstmBlockCellGrad/c_prev", [S(3, 8), S(3, 2), S(3, 2), S(3, 2)], (g, x) =>
        {
            var (dz, dcPrev) = g.LstmBlockCellGrad(x[0], x[1], x[2], x[3]);
            return g.Concat([dz, dcPrev!.Value], axis: 1);
        });
        yield return new("LstmBlockCellGrad/zero-state", [S(3, 8), S(3, 2), S(3, 2)], (g, x) => g.LstmBlockCellGrad(x[0], null, x[1], x[2]).Dz);

        // The fused GRU step and its fused gradient, with h_prev and U_h and from the zero state. h alone is what an unroll
        // reaches, through GruBlockCellGrad; all four outputs joined take the composed gradient that z, r or c need.
        // GruBlockCellGrad's own gradient is the gradient of its formula in graph ops, so its second order is a third derivative.
        static Output AllFour((Output Z, Output R, Output C, Output H) step) => step.Z.Graph.Concat([step.Z, step.R, step.C, step.H], axis: 1);
        yield return new("GruBlockCell/h_prev", [S(3, 4), S(3, 2), S(3, 2), S(2, 2)], (g, x) => g.GruBlockCell(x[0], x[1], x[2], x[3]).H);
        yield return new("GruBlockCell/zero-state", [S(3, 4), S(3, 2)], (g, x) => g.GruBlockCell(x[0], x[1]).H);
        yield return new("GruBlockCell/h_prev-all-outputs", [S(2, 6), S(2, 3), S(2, 3), S(3, 3)], (g, x) => AllFour(g.GruBlockCell(x[0], x[1], x[2], x[3])));
        yield return new("GruBlockCell/zero-state-all-outputs", [S(2, 6), S(2, 3)], (g, x) => AllFour(g.GruBlockCell(x[0], x[1])));
        yield return new("GruBlockCellGrad/h_prev", [S(3, 2), S(3, 2), S(3, 2), S(3, 2), S(3, 2), S(2, 2)], (g, x) =>
        {
            var (dGates, dCandidate, dhPrev) = g.GruBlockCellGrad(x[0], x[1], x[2], x[3], x[4], x[5]);
            return g.Concat([dGates, dCandidate, dhPrev!.Value], axis: 1);
        });
        yield return new("GruBlockCellGrad/zero-state", [S(3, 2), S(3, 2), S(3, 2), S(3, 2)], (g, x) =>
        {
            var (dGates, dCandidate, _) = g.GruBlockCellGrad(x[0], x[1], x[2], x[3]);
            return g.Concat([dGates, dCandidate], axis: 1);
        });
    }

    /// <summary>Ops checked elsewhere, and why they are not numerically checked here.</summary>
    public static readonly Dictionary<Type, string> CheckedElsewhere = new()
    {
        [typeof(StopGradient)] = "by definition its symbolic gradient (none) differs from the numerical one; GradientsTests checks it",
        [typeof(VariableOp)] = "a source: gradients end there rather than pass through; UserGradientCheckTests checks gradients with respect to variables",
        [typeof(RandomUniformLike)] = "draws new numbers every run; its zero gradient is exercised through Dropout/keep-all",
    };
}
