using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>returnState in a functional model: an encoder's last states, as symbolic tensors, start a decoder.</summary>
public class EncoderDecoderTests
{
    private const int EncoderSteps = 5, DecoderSteps = 4, Features = 3, Units = 4;

    private static (Model Model, Layers.LSTM Encoder, Layers.LSTM Decoder) Build()
    {
        var encoderInputs = Layers.Input([EncoderSteps, Features]);
        var encoder = new Layers.LSTM(Units, returnState: true);
        var encoded = encoder.ApplyAll(encoderInputs);
        var decoderInputs = Layers.Input([DecoderSteps, Features]);
        var decoder = new Layers.LSTM(Units, returnSequences: true);
        var decoded = decoder.Apply(decoderInputs, [encoded[1], encoded[2]]);
        var outputs = new Layers.Dense(1).Apply(decoded);
        return (new Model([encoderInputs, decoderInputs], outputs) { Seed = 1 }, encoder, decoder);
    }

    [Test]
    public void TheEncodersStatesAreSymbolicTensorsThatStartTheDecoder()
    {
        var (model, encoder, _) = Build();
        var encoded = model.Layers.First(l => l == encoder);
        Assert.That(encoded.Name, Is.EqualTo("lstm"));
        var summary = model.Summary(TextWriter.Null);
        // The table wraps a cell over several lines, as Keras's does: the encoder's three outputs, the decoder's three inputs.
        Assert.That(summary, Does.Contain(" lstm (LSTM)                    [(None, 4),          128         ['input_1[0][0]']"));
        Assert.That(summary, Does.Contain(" lstm_1 (LSTM)                  (None, 4, 4)         128         ['input_2[0][0]',"));
        Assert.That(summary, Does.Contain("'lstm[0][1]',").And.Contain("'lstm[0][2]']"), "the decoder reads the encoder's h and c");
        Assert.That(model.CountParams(), Is.EqualTo(2 * 4 * Units * (Units + Features + 1) + Units + 1));

        // The decoder's output depends on the encoder's sequence only through the states.
        var decoderX = LayerChecks.RandomTensor(new Shape(2, DecoderSteps, Features), 2);
        var one = model.Predict([LayerChecks.RandomTensor(new Shape(2, EncoderSteps, Features), 3), decoderX]).ToArray<float>();
        var other = model.Predict([LayerChecks.RandomTensor(new Shape(2, EncoderSteps, Features), 4), decoderX]).ToArray<float>();
        Assert.That(one, Is.Not.EqualTo(other));
    }

    [Test]
    public void GradientsReachTheEncoderThroughTheStates()
    {
        var (model, encoder, decoder) = Build();
        var output = model.OutputNodes[0];
        var g = output.Graph;
        var loss = g.ReduceSum(output * g.Constant(LayerChecks.RandomTensor(new Shape(2, DecoderSteps, 1), 5)));
        var inputs = model.InputNodes;
        var report = GradientCheck.VerifyGradients(model.Session, loss, new FeedDict
        {
            [inputs[0]] = LayerChecks.RandomTensor(new Shape(2, EncoderSteps, Features), 6),
            [inputs[1]] = LayerChecks.RandomTensor(new Shape(2, DecoderSteps, Features), 7),
        });
        Assert.That(report.Variables.Select(v => v.Variable), Is.SupersetOf(encoder.Weights.Concat(decoder.Weights).Select(w => w.Name)));
    }

    [Test]
    public void TheEncoderDecoderModelTrains()
    {
        var (model, _, _) = Build();
        model.Compile(new AdamOptimizer(0.02), "mse");
        var encoderX = LayerChecks.RandomTensor(new Shape(32, EncoderSteps, Features), 9);
        var decoderX = LayerChecks.RandomTensor(new Shape(32, DecoderSteps, Features), 10);
        // The target needs the encoder's sequence: its first step's first feature, repeated at every decoder step.
        var e = encoderX.ToArray<float>();
        var y = Tensor.FromFlat([.. Enumerable.Range(0, 32 * DecoderSteps).Select(i => e[i / DecoderSteps * EncoderSteps * Features])], new Shape(32, DecoderSteps, 1));
        var history = model.Fit([encoderX, decoderX], y, epochs: 60, batchSize: 8, verbose: 0);
        var losses = history["loss"];
        Assert.That(losses[^1], Is.LessThan(losses[0] / 2), $"loss from {losses[0]} to {losses[^1]}");
    }
}
