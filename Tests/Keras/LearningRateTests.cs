using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>
/// A compiled model's learning rate (Keras's <c>model.optimizer.lr = 0.001</c> between fits), its step counter, schedules
/// and clipping through Compile. Each Fit below takes one step over the whole batch, so the weight change of that step
/// shows the rate it used.
/// </summary>
public class LearningRateTests
{
    private static readonly Tensor X = new float[,] { { 0.5f, -1 }, { 1, 2 }, { -0.5f, 0.25f }, { 2, 1 } };
    private static readonly Tensor Y = new float[,] { { 1 }, { -1 }, { 0.5f }, { 2 } };

    private static Sequential Linear(Optimizer optimizer, string loss = "mse")
    {
        var model = new Sequential([new Layers.Dense(1, inputShape: [2])]) { Seed = 3 };
        model.Compile(optimizer, loss);
        return model;
    }

    private static double[] OneStep(Model model, Tensor[] start, Tensor? y = null)
    {
        model.SetWeights(start);
        model.Fit(X, y ?? Y, epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
        var after = model.GetWeights();
        return [.. after.SelectMany((w, i) => w.ToDoubles().Select((v, j) => v - start[i].GetDouble(j)))];
    }

    [Test]
    public void SettingTheRateBetweenFitsChangesTheNextStepWithoutRebuilding()
    {
        var sgd = new GradientDescentOptimizer(0.1);
        var model = Linear(sgd);
        var start = model.GetWeights();
        var atFirstRate = OneStep(model, start);
        int nodes = model.Graph.Nodes.Count;

        model.Optimizer.LearningRate = 0.025;
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.025).Within(1e-9));
        var atSecondRate = OneStep(model, start);

        // Same weights, same batch: the same gradient, taken at a quarter of the rate.
        Assert.That(atFirstRate, Has.All.Not.EqualTo(0.0));
        Assert.That(atSecondRate, Is.EqualTo(atFirstRate.Select(d => d * 0.25)).Within(1e-6));
        Assert.That(model.Graph.Nodes.Count, Is.EqualTo(nodes), "the rate is a variable's value, not a new graph");
        Assert.That(model.Optimizer.Iterations, Is.EqualTo(2));
        Assert.That(model.Optimizer.Optimizer, Is.SameAs(sgd));
        Assert.That(sgd.LearningRate.Value, Is.EqualTo(0.1), "the user's optimizer keeps its number");
        Assert.That(sgd.LearningRate.Tensor, Is.Null, "and holds no tensor of the model's graph");
    }

    [Test]
    public void OneOptimizerObjectCompilesTwoModelsThatKeepTheirOwnRates()
    {
        var sgd = new GradientDescentOptimizer(0.1);
        var (first, second) = (Linear(sgd), Linear(sgd));
        var start = first.GetWeights();
        first.Optimizer.LearningRate = 0;
        Assert.That(OneStep(first, start), Has.All.EqualTo(0.0), "a rate of 0 leaves the weights");
        Assert.That(OneStep(second, start), Has.All.Not.EqualTo(0.0), "the other model still steps at 0.1");
        Assert.That(second.Optimizer.LearningRate, Is.EqualTo(0.1).Within(1e-8));
    }

    [Test]
    public void ARateSetBeforeTheModelKnowsItsInputIsTheOneItStartsWith()
    {
        var model = new Sequential([new Layers.Dense(1)]) { Seed = 3 };
        model.Compile(new GradientDescentOptimizer(0.1), "mse");
        model.Optimizer.LearningRate = 0;
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.0));
        Tensor[]? before = null;
        model.Fit(X, Y, epochs: 1, batchSize: 4, verbose: 0, callbacks: [new LambdaCallback(onEpochBegin: _ => before = model.GetWeights())]);
        Assert.That(model.GetWeights().Select(w => w.ToDoubles()), Is.EqualTo(before!.Select(w => w.ToDoubles())));
        Assert.That(model.Optimizer.Iterations, Is.EqualTo(1));
    }

    [Test]
    public void AScheduleReadsItsCurrentValueAndCannotBeSet()
    {
        var model = Linear(new GradientDescentOptimizer(new ExponentialDecay(0.1, decaySteps: 2, decayRate: 0.5)));
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.1).Within(1e-8));
        model.Fit(X, Y, epochs: 3, batchSize: 4, verbose: 0);
        Assert.That(model.Optimizer.Iterations, Is.EqualTo(3));
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.1 * Math.Pow(0.5, 3 / 2.0)).Within(1e-8));
        Assert.That(() => model.Optimizer.LearningRate = 0.01, Throws.InvalidOperationException.With.Message.Contains("schedule"));
    }

    [Test]
    public void ClippingReachesTheModelsStepThroughTheOptimizer()
    {
        // Labels far above the line make every gradient element large and negative, so clipvalue moves each weight up
        // by exactly η · clipvalue.
        var sgd = new GradientDescentOptimizer(0.1) { ClipValue = 0.01 };
        var model = Linear(sgd);
        var far = new Tensor(new Shape(4, 1), DType.Float32);
        for (int i = 0; i < 4; i++) far.SetDouble(i, 1e4);
        // Each column of x sums to a positive number, so each weight's gradient, Σᵢ xᵢⱼ (ŷᵢ - 10⁴) / 2, is far below -0.01.
        Assert.That(OneStep(model, model.GetWeights(), far), Is.EqualTo(new[] { 0.1 * 0.01, 0.1 * 0.01, 0.1 * 0.01 }).Within(1e-6));
    }

    [Test]
    public void ARateMustBeAFiniteNonNegativeNumber()
    {
        var model = Linear(new GradientDescentOptimizer(0.1));
        Assert.That(() => model.Optimizer.LearningRate = -1, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains(model.Name));
        Assert.That(() => model.Optimizer.LearningRate = double.NaN, Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new Sequential([new Layers.Dense(1)]).Optimizer, Throws.InvalidOperationException.With.Message.Contains("Compile"));
    }
}
