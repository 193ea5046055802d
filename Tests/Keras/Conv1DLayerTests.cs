using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Keras's Conv1D layer: its parameter count and output length, its values against the sum it stands for, and its weights' gradients.</summary>
public class Conv1DLayerTests
{
    [TestCase(10, 3, 32, 1, "valid", 8)]
    [TestCase(10, 3, 32, 1, "same", 10)]
    [TestCase(9, 2, 4, 2, "valid", 4)]
    [TestCase(9, 2, 4, 2, "same", 5)]
    [TestCase(7, 1, 1, 3, "valid", 3)]
    public void ParametersAndOutputLengthAreKeras(int steps, int kernelSize, int filters, int strides, string padding, int outSteps)
    {
        const int channels = 10;
        var conv = new Layers.Conv1D(filters, kernelSize, strides, padding, inputShape: [steps, channels]);
        var model = new Sequential([conv]);
        Assert.That(conv.Name, Is.EqualTo("conv1d"));
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, outSteps, filters)));
        Assert.That(conv.CountParams(), Is.EqualTo(kernelSize * channels * filters + filters));
        Assert.That(conv.Weights.Select(w => w.Shape), Is.EqualTo(new[] { new Shape(kernelSize, channels, filters), new Shape(filters) }));
        Assert.That(model.Summary(TextWriter.Null), Does.Contain($"conv1d (Conv1D)").And.Contain($"(None, {outSteps}, {filters})"));
    }

    [TestCase(1, "valid")]
    [TestCase(2, "valid")]
    [TestCase(1, "same")]
    [TestCase(2, "same")]
    public void TheOutputIsTheWindowedSumPlusBias(int strides, string padding)
    {
        const int batch = 2, steps = 7, channels = 3, filters = 4, kernelSize = 3;
        var model = new Sequential([new Layers.Conv1D(filters, kernelSize, strides, padding, activation: "relu", inputShape: [steps, channels])]) { Seed = 3 };
        var w = model.GetWeights();
        var bias = LayerChecks.RandomValues(filters, 4);
        model.SetWeights([w[0], Tensor.FromFlat(bias, w[1].Shape)]);
        var kernel = w[0].ToArray<float>();
        var x = LayerChecks.RandomValues(batch * steps * channels, 5);
        var y = model.Predict(Tensor.FromFlat(x, new Shape(batch, steps, channels)));
        int outSteps = y.Shape[1];
        // TF's SAME padding: the output is ceil(steps / strides) long, with the padding's smaller half on the left.
        int left = padding == "same" ? Math.Max((outSteps - 1) * strides + kernelSize - steps, 0) / 2 : 0;
        Assert.That(outSteps, Is.EqualTo(padding == "same" ? (steps + strides - 1) / strides : (steps - kernelSize) / strides + 1));
        var ours = y.ToArray<float>();
        for (int n = 0; n < batch; n++)
            for (int j = 0; j < outSteps; j++)
                for (int f = 0; f < filters; f++)
                {
                    double z = bias[f];
                    for (int d = 0; d < kernelSize; d++)
                    {
                        int t = j * strides + d - left;
                        if (t < 0 || t >= steps) continue;
                        for (int c = 0; c < channels; c++) z += x[(n * steps + t) * channels + c] * kernel[(d * channels + c) * filters + f];
                    }
                    Assert.That(ours[(n * outSteps + j) * filters + f], Is.EqualTo(Math.Max(z, 0)).Within(1e-5), $"example {n}, step {j}, filter {f}");
                }
    }

    [TestCase(1, "valid")]
    [TestCase(2, "same")]
    public void ItsWeightsHaveTheRightGradients(int strides, string padding) =>
        LayerChecks.VerifyWeightGradients(new Shape(2, 6, 3), 11, new Layers.Conv1D(4, 3, strides, padding, activation: "tanh"));

    [Test]
    public void BadInputsAreRefusedNamingTheLayer()
    {
        var e = Assert.Throws<ShapeException>(() => new Layers.Conv1D(4, 3).Apply(Layers.Input([5])));
        Assert.That(e!.Message, Does.Contain("'conv1d' (Conv1D)").And.Contain("(batch, steps, channels)"));
        Assert.Throws<ShapeException>(() => new Layers.Conv1D(4, 6).Apply(Layers.Input([5, 2])));
        Assert.Throws<ArgumentException>(() => new Layers.Conv1D(4, 3, padding: "full"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Layers.Conv1D(0, 3));
    }
}
