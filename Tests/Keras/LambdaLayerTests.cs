using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Layers.Lambda, Keras's way to use an op with no layer of its own: here local response normalization, as VGG's A-LRN does.</summary>
public class LambdaLayerTests
{
    private static Output Lrn(Graph g, Output x) => g.LocalResponseNormalization(x, depthRadius: 1, bias: 2, alpha: 0.5, beta: 0.75);

    [Test]
    public void ALambdaAppliesItsFunctionWithNoWeights()
    {
        var model = new Sequential([new Layers.Lambda(Lrn, inputShape: [2, 3, 4]), new Layers.Lambda((g, x) => g.Reshape(x, [-1, 24]))]);
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "lambda", "lambda_1" }));
        Assert.That(model.Layers[0].Weights, Is.Empty);
        Assert.That(model.CountParams(), Is.Zero);
        // The shapes come from tracing each function: the LRN keeps (2, 3, 4), the reshape flattens it.
        Assert.That(model.Layers[0].ComputeOutputShape(new Shape(-1, 2, 3, 4)), Is.EqualTo(new Shape(-1, 2, 3, 4)));
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 24)));

        var input = LayerChecks.RandomTensor(new Shape(5, 2, 3, 4), 3);
        var reference = new Graph();
        var expected = new Session(reference).Run(Lrn(reference, reference.Constant(input))).ToArray<float>();
        Assert.That(model.Predict(input).ToArray<float>(), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void ALambdaPassesTheGradientToTheWeightsBeforeIt() =>
        LayerChecks.VerifyWeightGradients(new Shape(2, 4, 4, 2), 5, new Layers.Conv2D(3, 3, padding: "same"), new Layers.Lambda(Lrn));

    [Test]
    public void TracingTheFunctionForItsShapeLeavesTheModelsGraphAlone()
    {
        var model = new Sequential([new Layers.Conv2D(4, 3, inputShape: [6, 6, 1], name: "conv"), new Layers.Lambda(Lrn, name: "lrn")]);
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 4, 4, 4)));
        // Shapes were traced at Add and at build, but the model's graph holds one normalization, the layer's own.
        var normalizations = model.Graph.Nodes.Where(n => n.Name.EndsWith("LRN/output")).Select(n => n.Name).ToList();
        Assert.That(normalizations, Has.Count.EqualTo(1));
        Assert.That(normalizations[0], Does.EndWith("lrn/LRN/output"));
    }

    [Test]
    public void AnInputTheFunctionRefusesIsAShapeErrorNamingTheLayer()
    {
        var lrn = new Layers.Lambda(Lrn, name: "lrn");
        var e = Assert.Throws<ShapeException>(() => new Sequential([new Layers.Dense(3, inputShape: [4]), lrn]));
        Assert.That(e!.Message, Does.Contain("'lrn' (Lambda)").And.Contain("(None, 3)").And.Contain("rank-4"));
    }

    [Test]
    public void SavingAModelWithALambdaIsRefusedNamingIt()
    {
        string folder = Directory.CreateTempSubdirectory("graphdl-lambda-").FullName;
        try
        {
            var model = new Sequential([new Layers.Conv2D(2, 3, inputShape: [5, 5, 1]), new Layers.Lambda(Lrn, name: "norm1")]);
            string file = Path.Combine(folder, "lrn.keras");
            var e = Assert.Throws<NotSupportedException>(() => model.Save(file));
            Assert.That(e!.Message, Does.Contain("'norm1' (Lambda)").And.Contain("SaveWeights"));
            Assert.That(File.Exists(file), Is.False);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Assert.Throws<ArgumentNullException>(() => new Layers.Lambda(null!));
    }
}
