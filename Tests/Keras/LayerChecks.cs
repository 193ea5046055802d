using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>What the layer tests share: random inputs, and a gradient check of a layer's weights through its own graph.</summary>
internal static class LayerChecks
{
    /// <summary>Uniform values in (-1, 1).</summary>
    public static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    /// <summary>A Float32 tensor of <paramref name="shape"/> with uniform values in (-1, 1).</summary>
    public static Tensor RandomTensor(Shape shape, int seed) => Tensor.FromFlat(RandomValues(shape.Size, seed), shape);

    /// <summary>
    /// Applies <paramref name="layers"/> in turn to an input of <paramref name="inputShape"/> in a graph of their own,
    /// takes loss = Σ y · r with a fixed random r (so every output element counts, with its own weight), and checks the
    /// symbolic gradient of every weight of the layers against central differences. Returns the names of the weights checked.
    /// </summary>
    public static IReadOnlyList<string> VerifyWeightGradients(Shape inputShape, int seed, params Layer[] layers)
    {
        var g = new Graph { Seed = seed };
        var x = g.Placeholder(DType.Float32, inputShape, "x");
        var y = x;
        foreach (var layer in layers) y = layer.Apply(g, y);
        var loss = g.ReduceSum(y * g.Constant(RandomTensor(y.Shape, seed + 1)));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var report = GradientCheck.VerifyGradients(session, loss, new FeedDict { [x] = RandomTensor(inputShape, seed + 2) });
        var weights = layers.SelectMany(l => l.TrainableWeights).Select(w => w.Name).ToArray();
        Assert.That(report.Variables.Select(v => v.Variable), Is.EquivalentTo(weights), "every weight of the layers is reached and checked");
        return weights;
    }
}
