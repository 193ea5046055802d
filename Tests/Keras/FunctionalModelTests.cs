using GraphDL.Keras;
using GraphDL.Tests.Engine;
using NUnit.Framework;
using static GraphDL.Keras.Merge;

namespace GraphDL.Tests.Keras;

public class FunctionalModelTests
{
    private static Tensor Random2D(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Tensor.FromFlat(Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), new Shape(rows, columns));
    }

    /// <summary>Seed 004's model with two inputs, built as the slide builds it: two sub-models whose outputs are joined.</summary>
    private static (Model Model, Model X, Model Y) SeedTwoInputModel()
    {
        var inputA = Layers.Input([64]);
        var inputB = Layers.Input([128]);
        var x = new Layers.Dense(16, activation: "relu").Apply(inputA);
        x = new Layers.Dense(8, activation: "relu").Apply(x);
        var xModel = new Model(inputs: inputA, outputs: x);
        var y = new Layers.Dense(64, activation: "relu").Apply(inputB);
        y = new Layers.Dense(32, activation: "relu").Apply(y);
        y = new Layers.Dense(8, activation: "relu").Apply(y);
        var yModel = new Model(inputs: inputB, outputs: y);
        var result = Concatenate([xModel.Output, yModel.Output]);
        var z = new Layers.Dense(2, activation: "relu").Apply(result);   // the slide's 'rulu'
        z = new Layers.Dense(1, activation: "linear").Apply(z);
        var model = new Model(inputs: [xModel.Input, yModel.Input], outputs: z);
        return (model, xModel, yModel);
    }

    [Test]
    public void TheSeedsTwoInputModelHas11813ParametersAndLearns()
    {
        var (model, xModel, yModel) = SeedTwoInputModel();
        model.Seed = 5;
        Assert.That(model.CountParams(), Is.EqualTo(11_813));
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[]
            { "input_1", "input_2", "dense", "dense_1", "dense_2", "dense_3", "dense_4", "concatenate", "dense_5", "dense_6" }),
            "the branches' layers are renamed apart when the joint model takes them, as Keras's global names would be");
        Assert.That(xModel.CountParams(), Is.EqualTo(16 * 64 + 16 + 8 * 16 + 8));
        Assert.That(yModel.CountParams(), Is.EqualTo(64 * 128 + 64 + 32 * 64 + 32 + 8 * 32 + 8));

        const int n = 256;
        var a = Random2D(n, 64, seed: 1);
        var b = Random2D(n, 128, seed: 2);
        // A target both inputs take part in.
        double[] av = a.ToDoubles(), bv = b.ToDoubles();
        var target = Tensor.FromFlat(Enumerable.Range(0, n).Select(i =>
            (float)(av[i * 64] + av[i * 64 + 1] - 0.5 * bv[i * 128] + 0.3)).ToArray(), new Shape(n, 1));
        model.Compile(new AdamOptimizer(0.01), "mse");   // builds the joint model's graph, which the sub-models join
        var xBefore = xModel.Predict(a);
        var history = model.Fit([a, b], target, epochs: 40, batchSize: 32, verbose: 0);
        Assert.That(history.Last("loss"), Is.LessThan(0.25 * history["loss"][0]), "the loss falls");
        var xAfter = xModel.Predict(a);
        Assert.That(xAfter.ToDoubles(), Is.Not.EqualTo(xBefore.ToDoubles()), "the sub-model x shares its weights with the joint model that was trained");

        var evaluated = model.Evaluate([a, b], target, verbose: 0);
        var predicted = model.Predict([a, b]).ToDoubles();
        var tv = target.ToDoubles();
        double mse = predicted.Select((p, i) => (p - tv[i]) * (p - tv[i])).Average();
        Assert.That(evaluated["loss"], Is.EqualTo(mse).Within(1e-5 * (1 + mse)));
    }

    [Test]
    public void TheTwoInputModelsSummaryShowsTheGraphAsKerasDoes()
    {
        var (model, _, _) = SeedTwoInputModel();
        string[] lines = model.Summary(TextWriter.Null).Split('\n');
        Assert.That(lines[1], Is.EqualTo(new string('_', 98)));
        Assert.That(lines[2], Is.EqualTo(" Layer (type)                   Output Shape         Param #     Connected to                     "));
        Assert.That(lines[4], Is.EqualTo(" input_1 (InputLayer)           [(None, 64)]         0           []                               "));
        Assert.That(lines, Does.Contain(" dense_2 (Dense)                (None, 64)           8256        ['input_2[0][0]']                "));
        int concatenate = Array.FindIndex(lines, l => l.StartsWith(" concatenate (Concatenate)"));
        Assert.That(lines[concatenate], Is.EqualTo(" concatenate (Concatenate)      (None, 16)           0           ['dense_1[0][0]',                "));
        Assert.That(lines[concatenate + 1], Is.EqualTo("                                                                  'dense_4[0][0]']                "));
        Assert.That(lines, Does.Contain("Total params: 11,813"));
    }

    [Test]
    public void TheSlidesFunctionalModelsCountTheirParameters()
    {
        static long Count(params int[] widths)
        {
            var inputs = Layers.Input([widths[0]]);
            var x = inputs;
            foreach (int units in widths[1..^1]) x = new Layers.Dense(units, activation: "relu").Apply(x);
            var output = new Layers.Dense(widths[^1]).Apply(x);
            return new Model(inputs, output).CountParams();
        }
        Assert.That(Count(10, 64, 64, 1), Is.EqualTo(4_929));
        Assert.That(Count(10, 8, 4, 1), Is.EqualTo(129));
    }

    /// <summary>Seed 000's subclassed model: the layers made in the constructor, connected in Call.</summary>
    private sealed class CustomModel : Model
    {
        private readonly Layers.Dense _dense1 = new(5, activation: "relu");
        private readonly Layers.Dense _dense2 = new(10, activation: "relu");
        private readonly Layers.Dense _dense3 = new(3, activation: "softmax");

        public CustomModel() : base("custom_model") { }

        protected override KerasTensor Call(KerasTensor inputs) => _dense3.Apply(_dense2.Apply(_dense1.Apply(inputs)));
    }

    [Test]
    public void Seed000sNetworkBuiltFourWaysHas118ParametersAndTrainsAlike()
    {
        var list = new Sequential([
            new Layers.Dense(5, activation: "relu", inputShape: [4]),
            new Layers.Dense(10, activation: "relu"),
            new Layers.Dense(3, activation: "softmax"),
        ]) { Seed = 11 };
        var added = new Sequential();
        added.Add(new Layers.Dense(5, activation: "relu", inputShape: [4]));
        added.Add(new Layers.Dense(10, activation: "relu"));
        added.Add(new Layers.Dense(3, activation: "softmax"));
        var inputs = Layers.Input([4]);
        var x = new Layers.Dense(5, activation: "relu").Apply(inputs);
        x = new Layers.Dense(10, activation: "relu").Apply(x);
        var functional = new Model(inputs: inputs, outputs: new Layers.Dense(3, activation: "softmax").Apply(x));
        var subclassed = new CustomModel();
        subclassed.Build(4);

        Model[] models = [list, added, functional, subclassed];
        Assert.That(models.Select(m => m.CountParams()), Has.All.EqualTo(118));
        var weights = list.GetWeights();
        foreach (var m in models.Skip(1)) m.SetWeights(weights);

        var random = new Random(3);
        var data = Random2D(30, 4, seed: 4);
        var labels = GraphDL.Data.OneHotEncoding.Encode(Enumerable.Range(0, 30).Select(_ => random.Next(3)).ToArray(), 3);
        var losses = models.Select(m =>
        {
            m.Compile(new GradientDescentOptimizer(0.5), "categorical_crossentropy");
            return m.Fit(data, labels, epochs: 5, batchSize: 10, shuffle: false, verbose: 0)["loss"];
        }).ToList();
        Assert.That(losses[0][^1], Is.LessThan(losses[0][0]), "the steps do something");
        foreach (var other in losses.Skip(1)) Assert.That(other, Is.EqualTo(losses[0]), "the same network, the same weights, the same steps");
        Assert.That(subclassed.Summary(TextWriter.Null), Does.Contain(" dense_2 (Dense)             (None, 3)                 33        "));
    }

    [Test]
    public void ASubclassedModelBuildsOnItsFirstData()
    {
        var model = new CustomModel { Seed = 2 };
        Assert.That(model.IsBuilt, Is.False);
        var x = Random2D(7, 6, seed: 1);
        var y = model.Predict(x);
        Assert.That(model.IsBuilt, Is.True);
        Assert.That(model.InputShape, Is.EqualTo(new Shape(-1, 6)));
        Assert.That(y.Shape, Is.EqualTo(new Shape(7, 3)));
        Assert.That(model.CountParams(), Is.EqualTo(6 * 5 + 5 + 60 + 3 * 10 + 3));
        for (int i = 0; i < 7; i++) Assert.That(y.ToDoubles().Skip(3 * i).Take(3).Sum(), Is.EqualTo(1.0).Within(1e-6), "softmax rows");
    }

    [Test]
    public void WithTwoOutputsTheLossIsTheSumOfTheOutputsLosses()
    {
        var inputs = Layers.Input([3]);
        var trunk = new Layers.Dense(4, activation: "tanh").Apply(inputs);
        var first = new Layers.Dense(1, name: "first").Apply(trunk);
        var second = new Layers.Dense(2, name: "second").Apply(trunk);
        var model = new Model(inputs, [first, second]) { Seed = 9 };
        model.Compile(new GradientDescentOptimizer(0.1), "mse");
        var x = Random2D(20, 3, seed: 5);
        var y1 = Random2D(20, 1, seed: 6);
        var y2 = Random2D(20, 2, seed: 7);

        var logs = model.Evaluate(x, [y1, y2], batchSize: 20, verbose: 0);
        Assert.That(logs.Keys, Is.EquivalentTo(new[] { "loss", "first_loss", "second_loss" }));
        var predicted = model.PredictOutputs(x);
        static double Mse(Tensor p, Tensor t) => p.ToDoubles().Zip(t.ToDoubles(), (v, w) => (v - w) * (v - w)).Average();
        Assert.That(logs["first_loss"], Is.EqualTo(Mse(predicted[0], y1)).Within(1e-6));
        Assert.That(logs["second_loss"], Is.EqualTo(Mse(predicted[1], y2)).Within(1e-6));
        Assert.That(logs["loss"], Is.EqualTo(logs["first_loss"] + logs["second_loss"]).Within(1e-6));
        Assert.Throws<InvalidOperationException>(() => model.Predict(x), "Predict names PredictOutputs for several outputs");

        var history = model.Fit(x, [y1, y2], epochs: 30, batchSize: 20, verbose: 0);
        Assert.That(history.Last("loss"), Is.LessThan(history["loss"][0]));
    }

    [Test]
    public void AModelCalledAsALayerSharesItsWeights()
    {
        var innerInputs = Layers.Input([4]);
        var inner = new Model(innerInputs, new Layers.Dense(3, activation: "tanh").Apply(innerInputs), name: "encoder");
        var inputs = Layers.Input([4]);
        var outputs = new Layers.Dense(1).Apply(inner.Apply(inputs));
        var outer = new Model(inputs, outputs, name: "outer") { Seed = 1 };

        Assert.That(outer.CountParams(), Is.EqualTo(4 * 3 + 3 + 3 + 1));
        Assert.That(outer.Weights.Take(2), Is.EqualTo(inner.Weights), "the same variables, not copies");
        Assert.That(outer.Summary(TextWriter.Null), Does.Contain(" encoder (Functional)        (None, 3)                 15        "));

        var x = Random2D(16, 4, seed: 2);
        var y = Random2D(16, 1, seed: 3);
        var before = inner.GetWeights()[0].ToDoubles();
        outer.Compile(new GradientDescentOptimizer(0.2), "mse");
        outer.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0);
        var after = inner.GetWeights()[0].ToDoubles();
        Assert.That(after, Is.Not.EqualTo(before), "training the outer model trains the inner one's weights");

        // The inner model computes with the trained weights: tanh(x W + b), by hand.
        var w = inner.GetWeights();
        var encoded = inner.Predict(x).ToDoubles();
        var xv = x.ToDoubles();
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 3; j++)
            {
                double z = w[1].GetDouble(j);
                for (int k = 0; k < 4; k++) z += xv[i * 4 + k] * w[0].GetDouble(k * 3 + j);
                Assert.That(encoded[i * 3 + j], Is.EqualTo(Math.Tanh(z)).Within(1e-5));
            }
    }

    [Test]
    public void AModelWithTwoOutputsCalledAsALayerGivesBoth()
    {
        var inputs = Layers.Input([2]);
        var inner = new Model(inputs, [new Layers.Dense(3).Apply(inputs), new Layers.Dense(1).Apply(inputs)], name: "heads");
        var x = Layers.Input([2]);
        Assert.Throws<InvalidOperationException>(() => inner.Apply(x), "Apply returns one tensor; ApplyAll returns both");
        var heads = inner.ApplyAll([x]);
        Assert.That(heads.Select(t => t.Shape), Is.EqualTo(new[] { new Shape(-1, 3), new Shape(-1, 1) }));
        var outer = new Model(x, Concatenate([.. heads]), name: "outer");
        Assert.That(outer.CountParams(), Is.EqualTo(9 + 3));
        var data = Random2D(5, 2, seed: 8);
        var joined = outer.Predict(data).ToDoubles();
        var separate = inner.PredictOutputs(data);
        var (first, second) = (separate[0].ToDoubles(), separate[1].ToDoubles());
        for (int i = 0; i < 5; i++)
            Assert.That(joined.Skip(4 * i).Take(4), Is.EqualTo(first.Skip(3 * i).Take(3).Append(second[i])), "the same weights inside and out");
        // Keras wraps a list of shapes after "),", and names each output of the call: heads[0][0], heads[0][1].
        string[] lines = outer.Summary(TextWriter.Null).Split('\n');
        int row = Array.FindIndex(lines, l => l.StartsWith(" heads (Functional)"));
        Assert.That(lines[row], Is.EqualTo(" heads (Functional)             [(None, 3),          12          ['input_1[0][0]']                "));
        Assert.That(lines[row + 1].TrimEnd(), Is.EqualTo("                                 (None, 1)]"));
        Assert.That(lines[row + 4].TrimEnd(), Is.EqualTo("                                                                  'heads[0][1]']"));
    }

    [Test]
    public void MergeLayersComputeTheirHandValues()
    {
        float[,] a = { { 1, -2, 3 } }, b = { { 4, 5, -6 } }, c = { { 0.5f, 0, 1 } };
        double[] Run(Func<KerasTensor[], KerasTensor> merge, int inputs)
        {
            KerasTensor[] xs = [.. Enumerable.Range(0, inputs).Select(_ => Layers.Input([3]))];
            var model = new Model(xs, merge(xs));
            return model.Predict(new Tensor[] { a, b, c }[..inputs]).ToDoubles();
        }
        Assert.That(Run(x => Add(x), 2), Is.EqualTo(new[] { 5.0, 3, -3 }));
        Assert.That(Run(x => Add(x), 3), Is.EqualTo(new[] { 5.5, 3, -2 }));
        Assert.That(Run(x => Subtract(x), 2), Is.EqualTo(new[] { -3.0, -7, 9 }));
        Assert.That(Run(x => Multiply(x), 2), Is.EqualTo(new[] { 4.0, -10, -18 }));
        Assert.That(Run(x => Average(x), 2), Is.EqualTo(new[] { 2.5, 1.5, -1.5 }));
        Assert.That(Run(x => Maximum(x), 2), Is.EqualTo(new[] { 4.0, 5, 3 }));
        Assert.That(Run(x => Minimum(x), 3), Is.EqualTo(new[] { 0.5, -2, -6 }));
        Assert.That(Run(x => Concatenate(x), 2), Is.EqualTo(new[] { 1.0, -2, 3, 4, 5, -6 }));
        Assert.That(Run(x => new Layers.Concatenate(axis: 1).Apply(x), 3), Has.Length.EqualTo(9));
    }

    [Test]
    public void ConcatenateJoinsAnyAxisButTheBatch()
    {
        var t = new Layers.Concatenate(axis: 1).Apply([Layers.Input([2, 3]), Layers.Input([4, 3])]);
        Assert.That(t.Shape, Is.EqualTo(new Shape(-1, 6, 3)));
        var model = new Model(t.Inputs, t);
        var x1 = Tensor.FromFlat([.. Enumerable.Range(0, 6).Select(i => (float)i)], new Shape(1, 2, 3));
        var x2 = Tensor.FromFlat([.. Enumerable.Range(10, 12).Select(i => (float)i)], new Shape(1, 4, 3));
        Assert.That(model.Predict([x1, x2]).ToDoubles(), Is.EqualTo(x1.ToDoubles().Concat(x2.ToDoubles())));
        Assert.Throws<ShapeException>(() => new Layers.Concatenate(axis: 0).Apply([Layers.Input([2]), Layers.Input([2])]));
    }

    private static IEnumerable<GradCase> MergeGradientCases()
    {
        Shape[] two = [new Shape(2, 3), new Shape(2, 3)], three = [new Shape(2, 3), new Shape(2, 3), new Shape(2, 3)];
        // Each case makes its layer afresh: a layer's weights (here none) belong to the graph it was first applied in.
        yield return new GradCase("Add", three, (g, x) => new Layers.Add().Apply(g, x)[0]);
        yield return new GradCase("Subtract", two, (g, x) => new Layers.Subtract().Apply(g, x)[0]);
        yield return new GradCase("Multiply", three, (g, x) => new Layers.Multiply().Apply(g, x)[0]);
        yield return new GradCase("Average", three, (g, x) => new Layers.Average().Apply(g, x)[0]);
        yield return new GradCase("Maximum", two, (g, x) => new Layers.Maximum().Apply(g, x)[0]);
        yield return new GradCase("Minimum", three, (g, x) => new Layers.Minimum().Apply(g, x)[0]);
        yield return new GradCase("Concatenate_last", [new Shape(2, 3), new Shape(2, 1)], (g, x) => new Layers.Concatenate().Apply(g, x)[0]);
        yield return new GradCase("Concatenate_axis1", [new Shape(2, 1, 2), new Shape(2, 3, 2)], (g, x) => new Layers.Concatenate(axis: 1).Apply(g, x)[0]);
        yield return new GradCase("Add_broadcast", [new Shape(2, 3), new Shape(2, 1)], (g, x) => new Layers.Add().Apply(g, x)[0]);
    }

    [TestCaseSource(nameof(MergeGradientCases))]
    public void MergeGradientsMatchCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    [TestCaseSource(nameof(MergeGradientCases))]
    public void MergeSecondDerivativesMatchCentralDifferences(GradCase c) => NumericalGradientOracle.CheckSecondOrder(c);

    [Test]
    public void MismatchedMergeShapesNameTheLayerAndTheShapes()
    {
        var e = Assert.Throws<ShapeException>(() => new Layers.Add(name: "join").Apply([Layers.Input([3]), Layers.Input([4])]));
        Assert.That(e!.Message, Is.EqualTo("Layer 'join' (Add) cannot merge inputs of incompatible shapes (None, 3), (None, 4)."));
        var c = Assert.Throws<ShapeException>(() => Concatenate([Layers.Input([2, 3]), Layers.Input([3, 3])], name: "cat"));
        Assert.That(c!.Message, Is.EqualTo("Layer 'cat' (Concatenate) cannot merge inputs of incompatible shapes (None, 2, 3), (None, 3, 3)."));
        var one = Assert.Throws<ArgumentException>(() => new Layers.Subtract(name: "diff").Apply([Layers.Input([3]), Layers.Input([3]), Layers.Input([3])]));
        Assert.That(one!.Message, Does.StartWith("Layer 'diff' (Subtract) takes exactly 2 inputs, but was given 3"));
        Assert.Throws<ArgumentException>(() => new Layers.Add().Apply(Layers.Input([3])), "a merge layer takes a list");
    }

    [Test]
    public void AnInputNotConnectedToTheOutputsIsAnError()
    {
        var a = Layers.Input([3]);
        var b = Layers.Input([5]);
        var e = Assert.Throws<ArgumentException>(() => new Model([a, b], new Layers.Dense(1).Apply(a)));
        Assert.That(e!.Message, Is.EqualTo("Model 'model': input 'input_2' (None, 5) is not connected to the outputs; every input must be needed by some output."));

        var c = Layers.Input([2], name: "extra");
        var joined = Concatenate([a, c]);
        var missing = Assert.Throws<ArgumentException>(() => new Model(a, joined));
        Assert.That(missing!.Message, Is.EqualTo("Model 'model': the outputs depend on input 'extra' (None, 2), which is not among the model's inputs."));
    }

    [Test]
    public void FitTakesOneTensorPerInput()
    {
        var (model, _, _) = SeedTwoInputModel();
        model.Compile("adam", "mse");
        var a = Random2D(4, 64, seed: 1);
        var y = Random2D(4, 1, seed: 2);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(a, y, verbose: 0));
        Assert.That(e!.Message, Does.StartWith("Model 'model' has 2 input(s) ('input_1' (None, 64), 'input_2' (None, 128)), but x holds 1 tensor(s)"));
        var swapped = Assert.Throws<ShapeException>(() => model.Fit([Random2D(4, 128, 3), a], y, verbose: 0));
        Assert.That(swapped!.Message, Is.EqualTo("Model 'model' takes inputs of shape (None, 64) at input 0 ('input_1'), but x[0] has shape (4, 128)."));
    }

    [Test]
    public void WeightsOfAFreshFunctionalModelCanBeSetBeforeAnythingElseRuns()
    {
        // Keras builds a functional model when it is constructed; reading its weights must not depend on a Summary first.
        var inputs = Layers.Input([4]);
        var outputs = new Layers.Dense(3).Apply(new Layers.Dense(5, activation: "relu").Apply(inputs));
        var source = new Model(inputs, outputs) { Seed = 3 };
        var values = source.GetWeights();

        var copyInputs = Layers.Input([4]);
        var copy = new Model(copyInputs, new Layers.Dense(3).Apply(new Layers.Dense(5, activation: "relu").Apply(copyInputs)));
        Assert.That(copy.Weights, Has.Count.EqualTo(4));
        Assert.That(copy.TrainableWeights, Has.Count.EqualTo(4));
        copy.SetWeights(values);
        var x = Random2D(6, 4, seed: 5);
        Assert.That(copy.Predict(x).ToArray<float>(), Is.EqualTo(source.Predict(x).ToArray<float>()));
    }
}
