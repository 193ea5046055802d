using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Compile with a loss per output and loss weights (Keras's compile(loss=[...] or {...}, loss_weights=...)).</summary>
public class OutputLossTests
{
    private const int N = 8;
    private static readonly Tensor X = Random2D(N, 3, seed: 1);
    private static readonly Tensor Amounts = Random2D(N, 1, seed: 2);
    private static readonly Tensor Flags = Tensor.FromFlat(new float[] { 0, 1, 1, 0, 1, 0, 0, 1 }, new Shape(N, 1));

    private static Tensor Random2D(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Tensor.FromFlat(Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), new Shape(rows, columns));
    }

    /// <summary>Two heads on the inputs: "amount", linear, for mse, and "flag", a sigmoid, for binary cross entropy.</summary>
    private static Model TwoHeads()
    {
        var inputs = Layers.Input([3]);
        var amount = new Layers.Dense(1, name: "amount").Apply(inputs);
        var flag = new Layers.Dense(1, activation: "sigmoid", name: "flag").Apply(inputs);
        return new Model(inputs, [amount, flag]) { Seed = 5 };
    }

    /// <summary>x·W + b of one example for a Dense(1) whose weights are at <paramref name="at"/> in GetWeights.</summary>
    private static double Linear(Tensor[] weights, int at, int row) =>
        weights[at + 1].GetDouble(0) + Enumerable.Range(0, 3).Sum(j => X.GetDouble(row * 3 + j) * weights[at].GetDouble(j));

    [Test]
    public void TheLossIsTheWeightedSumAndEachOutputsLossIsLoggedUnweighted()
    {
        var model = TwoHeads();
        model.Compile(new GradientDescentOptimizer(0.1), ["mse", "binary_crossentropy"], lossWeights: [1.0, 0.2]);
        var weights = model.GetWeights();
        double mse = Enumerable.Range(0, N).Average(i => Math.Pow(Linear(weights, 0, i) - Amounts.GetDouble(i), 2));
        double bce = Enumerable.Range(0, N).Average(i =>
        {
            double p = 1 / (1 + Math.Exp(-Linear(weights, 2, i))), y = Flags.GetDouble(i);
            return -(y * Math.Log(p) + (1 - y) * Math.Log(1 - p));
        });

        var logs = model.Evaluate(X, [Amounts, Flags], batchSize: 3, verbose: 0);
        Assert.That(logs.Keys, Is.EquivalentTo(new[] { "loss", "amount_loss", "flag_loss" }));
        Assert.That(logs["amount_loss"], Is.EqualTo(mse).Within(1e-6));
        Assert.That(logs["flag_loss"], Is.EqualTo(bce).Within(1e-6));
        Assert.That(logs["loss"], Is.EqualTo(mse + 0.2 * bce).Within(1e-6));
        Assert.That(model.OutputLossesAndWeights, Is.EqualTo(new[] { ("mse", 1.0), ("binary_crossentropy", 0.2) }));
    }

    [Test]
    public void OneStepFollowsTheWeightedSumsGradient()
    {
        const double rate = 0.5, flagWeight = 0.2;
        var model = TwoHeads();
        model.Compile(new GradientDescentOptimizer(rate), new Dictionary<string, string> { ["flag"] = "binary_crossentropy", ["amount"] = "mse" },
            lossWeights: new Dictionary<string, double> { ["flag"] = flagWeight });
        var before = model.GetWeights();
        model.Fit(X, [Amounts, Flags], epochs: 1, batchSize: N, shuffle: false, verbose: 0);
        var after = model.GetWeights();

        // mse: d/dz = 2 (z - y) / N, weighted 1 ("amount" is missing from lossWeights); binary cross entropy of a sigmoid:
        // d/dz = (p - y) / N, weighted 0.2.
        var dzAmount = Enumerable.Range(0, N).Select(i => 2 * (Linear(before, 0, i) - Amounts.GetDouble(i)) / N).ToArray();
        var dzFlag = Enumerable.Range(0, N).Select(i => flagWeight * (1 / (1 + Math.Exp(-Linear(before, 2, i))) - Flags.GetDouble(i)) / N).ToArray();
        foreach (var (at, dz) in new[] { (0, dzAmount), (2, dzFlag) })
        {
            for (int j = 0; j < 3; j++)
            {
                double dW = Enumerable.Range(0, N).Sum(i => X.GetDouble(i * 3 + j) * dz[i]);
                Assert.That(after[at].GetDouble(j), Is.EqualTo(before[at].GetDouble(j) - rate * dW).Within(1e-6), $"W of weights[{at}], row {j}");
            }
            Assert.That(after[at + 1].GetDouble(0), Is.EqualTo(before[at + 1].GetDouble(0) - rate * dz.Sum()).Within(1e-6), $"b of weights[{at + 1}]");
        }
    }

    [Test]
    public void TheDictionaryFormIsTheListFormAndOneNameTakesWeightsToo()
    {
        double Loss(Action<Model> compile)
        {
            var model = TwoHeads();
            compile(model);
            return model.Evaluate(X, [Amounts, Flags], verbose: 0)["loss"];
        }
        double list = Loss(m => m.Compile(new GradientDescentOptimizer(0.1), ["mae", "mse"], lossWeights: [0.5, 3.0]));
        double byName = Loss(m => m.Compile(new GradientDescentOptimizer(0.1), new Dictionary<string, string> { ["amount"] = "mae", ["flag"] = "mse" },
            lossWeights: new Dictionary<string, double> { ["amount"] = 0.5, ["flag"] = 3.0 }));
        Assert.That(byName, Is.EqualTo(list));
        double unweighted = Loss(m => m.Compile(new GradientDescentOptimizer(0.1), ["mae", "mse"]));
        Assert.That(list, Is.Not.EqualTo(unweighted).Within(1e-6), "the weights change the total");

        var logs = TwoHeads();
        logs.Compile(new GradientDescentOptimizer(0.1), "mse", metrics: null, lossWeights: [2.0, 0.0]);
        var figures = logs.Evaluate(X, [Amounts, Flags], verbose: 0);
        Assert.That(figures["loss"], Is.EqualTo(2 * figures["amount_loss"]).Within(1e-6), "a weight of 0 drops an output from the total");
    }

    [Test]
    public void EachOutputsLabelsTakeTheDtypeItsLossNeeds()
    {
        var inputs = Layers.Input([3]);
        var kind = new Layers.Dense(3, activation: "softmax", name: "kind").Apply(inputs);
        var size = new Layers.Dense(1, name: "size").Apply(inputs);
        var model = new Model(inputs, [kind, size]) { Seed = 2 };
        model.Compile(new AdamOptimizer(0.05), ["sparse_categorical_crossentropy", "mse"], ["accuracy"]);
        Assert.That(model.Targets.Select(t => t.DType), Is.EqualTo(new[] { DType.Int32, DType.Float32 }));
        Assert.That(model.Targets.Select(t => t.Shape.Rank), Is.EqualTo(new[] { 1, 2 }));
        var ids = Enumerable.Range(0, N).Select(i => i % 3).ToArray();
        var history = model.Fit(X, [ids, Amounts], epochs: 40, batchSize: 4, verbose: 0);
        Assert.That(history.Keys, Is.EqualTo(new[] { "loss", "kind_loss", "kind_accuracy", "size_loss", "size_accuracy" }));
        Assert.That(history.Last("kind_loss"), Is.LessThan(history["kind_loss"][0]));
        Assert.That(history.Last("size_loss"), Is.LessThan(history["size_loss"][0]));
    }

    [Test]
    public void LossesThatDoNotFitTheOutputsAreErrors()
    {
        var optimizer = new GradientDescentOptimizer(0.1);
        var count = Assert.Throws<ArgumentException>(() => TwoHeads().Compile(optimizer, ["mse", "mse", "mae"]));
        Assert.That(count!.Message, Does.StartWith("loss has 3 name(s), but model 'model' has 2 output(s): 'amount', 'flag'; give one per output, or one name for all."));
        var weights = Assert.Throws<ArgumentException>(() => TwoHeads().Compile(optimizer, "mse", null, lossWeights: [1.0]));
        Assert.That(weights!.Message, Does.StartWith("lossWeights has 1 weight(s), but model 'model' has 2 output(s)"));
        var unknown = Assert.Throws<ArgumentException>(() => TwoHeads().Compile(optimizer, new Dictionary<string, string> { ["amount"] = "mse", ["flags"] = "mse" }));
        Assert.That(unknown!.Message, Does.StartWith("Unknown output 'flags': model 'model' has 2 output(s): 'amount', 'flag'."));
        var missing = Assert.Throws<ArgumentException>(() => TwoHeads().Compile(optimizer, new Dictionary<string, string> { ["amount"] = "mse" }));
        Assert.That(missing!.Message, Does.StartWith("The loss dictionary has no loss for output 'flag'"));
        var name = Assert.Throws<ArgumentException>(() => TwoHeads().Compile(optimizer, ["mse", "msee"]));
        Assert.That(name!.Message, Does.StartWith("Unknown loss 'msee'."));
        var negative = Assert.Throws<ArgumentException>(() => TwoHeads().Compile(optimizer, ["mse", "mse"], lossWeights: [1.0, -1.0]));
        Assert.That(negative!.Message, Does.StartWith("A loss weight must be a finite number ≥ 0, got -1."));
    }

    [Test]
    public void AWholeModelFileKeepsTheLossPerOutputAndTheirWeights()
    {
        var model = TwoHeads();
        model.Compile(new GradientDescentOptimizer(0.1), ["mse", "binary_crossentropy"], lossWeights: [1.0, 0.2]);
        model.Fit(X, [Amounts, Flags], epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
        string file = Path.Combine(Path.GetTempPath(), $"graphdl-two-heads-{Guid.NewGuid():N}.keras");
        try
        {
            model.Save(file);
            var loaded = Models.LoadModel(file);
            Assert.That(loaded.OutputLossesAndWeights, Is.EqualTo(model.OutputLossesAndWeights));
            var next = model.Fit(X, [Amounts, Flags], epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
            var resumed = loaded.Fit(X, [Amounts, Flags], epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
            Assert.That(resumed["loss"], Is.EqualTo(next["loss"]));
            Assert.That(resumed["flag_loss"], Is.EqualTo(next["flag_loss"]));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
