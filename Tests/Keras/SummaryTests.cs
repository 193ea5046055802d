using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

public class SummaryTests
{
    // tf.keras's table for seed 003's model, line for line (65 columns, trailing spaces included).
    private const string Seed003 =
        "Model: \"sequential\"\n" +
        "_________________________________________________________________\n" +
        " Layer (type)                Output Shape              Param #   \n" +
        "=================================================================\n" +
        " dense (Dense)               (None, 32)                25120     \n" +
        "                                                                 \n" +
        " dense_1 (Dense)             (None, 10)                330       \n" +
        "                                                                 \n" +
        " dense_2 (Dense)             (None, 20)                220       \n" +
        "                                                                 \n" +
        "=================================================================\n" +
        "Total params: 25,670\n" +
        "Trainable params: 25,670\n" +
        "Non-trainable params: 0\n" +
        "_________________________________________________________________\n";

    [Test]
    public void SequentialSummaryIsKerasTable()
    {
        var model = new Sequential();
        model.Add(new Layers.Dense(32, inputShape: [784]));
        model.Add(new Layers.Dense(10));
        model.Add(new Layers.Dense(20));
        var printed = new StringWriter();
        string text = model.Summary(printed);
        Assert.That(text, Is.EqualTo(Seed003));
        Assert.That(printed.ToString(), Is.EqualTo(Seed003));
        Assert.That(text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("Model") && !l.Contains("params")), Has.All.Length.EqualTo(65));
    }

    [Test]
    public void FunctionalSummaryListsTheInputLayer()
    {
        var inputs = Layers.Input([4]);
        var x = new Layers.Dense(5, activation: "relu").Apply(inputs);
        x = new Layers.Dense(10, activation: "relu").Apply(x);
        var outputs = new Layers.Dense(3, activation: "softmax").Apply(x);
        var model = new Model(inputs, outputs);
        string[] lines = model.Summary(TextWriter.Null).Split('\n');
        Assert.That(lines[0], Is.EqualTo("Model: \"model\""));
        Assert.That(lines[4], Is.EqualTo(" input_1 (InputLayer)        [(None, 4)]               0         "));
        Assert.That(lines[6], Is.EqualTo(" dense (Dense)               (None, 5)                 25        "));
        Assert.That(lines[10], Is.EqualTo(" dense_2 (Dense)             (None, 3)                 33        "));
        Assert.That(lines[13], Is.EqualTo("Total params: 118"));
        Assert.That(model.Layers.Select(l => l.TypeName), Is.EqualTo(new[] { "InputLayer", "Dense", "Dense", "Dense" }));
    }

    [Test]
    public void ALongNameWrapsOntoTheNextLine()
    {
        var model = new Sequential([new Layers.Dense(5, inputShape: [4], name: "a_very_long_layer_name_indeed")]);
        string[] lines = model.Summary(TextWriter.Null).Split('\n');
        // 27 characters fit the first column; the rest goes on a line of its own, as Keras prints it.
        Assert.That(lines[4], Is.EqualTo(" a_very_long_layer_name_inde  (None, 5)                25        "));
        Assert.That(lines[5], Is.EqualTo(" ed (Dense)                                                      "));
    }

    [Test]
    public void SummaryOfAnUnbuiltModelSaysWhatIsMissing()
    {
        var model = new Sequential([new Layers.Dense(3)]);
        var e = Assert.Throws<InvalidOperationException>(() => model.Summary(TextWriter.Null));
        Assert.That(e!.Message, Is.EqualTo("Model 'sequential' has not been built yet: it does not know its input shape. Give the first layer an inputShape, call Build(...), or Fit or Predict on data."));
    }
}
