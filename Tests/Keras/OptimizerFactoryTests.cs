using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Keras's optimizers by name and by factory (keras.optimizers.*): the optimizer each gives, with Keras's defaults.</summary>
public class OptimizerFactoryTests
{
    private static IEnumerable<TestCaseData> NamedOptimizers()
    {
        yield return new TestCaseData("sgd", typeof(GradientDescentOptimizer));
        yield return new TestCaseData("momentum", typeof(MomentumOptimizer));
        yield return new TestCaseData("adam", typeof(AdamOptimizer));
        yield return new TestCaseData("rmsprop", typeof(RmsPropOptimizer));
        yield return new TestCaseData("adagrad", typeof(AdagradOptimizer));
        yield return new TestCaseData("adadelta", typeof(AdadeltaOptimizer));
        yield return new TestCaseData("adamax", typeof(AdamaxOptimizer));
        yield return new TestCaseData("nadam", typeof(NadamOptimizer));
    }

    [TestCaseSource(nameof(NamedOptimizers))]
    public void ANameGivesAFreshOptimizerOfItsKind(string name, Type kind)
    {
        var optimizer = Optimizers.Get(name);
        Assert.That(optimizer, Is.TypeOf(kind));
        Assert.That(Optimizers.Get(name.ToUpperInvariant()), Is.TypeOf(kind), "names are case-insensitive, as Keras's");
        Assert.That(Optimizers.Get(name), Is.Not.SameAs(optimizer), "each call gives its own optimizer, with its own slots");
    }

    [Test]
    public void NamesListsExactlyTheNamesGetKnows()
    {
        var known = NamedOptimizers().Select(c => (string)c.Arguments[0]!).ToArray();
        Assert.That(Optimizers.Names, Is.EquivalentTo(known));
        Assert.That(Optimizers.Names, Is.Unique);
    }

    [Test]
    public void AnUnknownNameIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => Optimizers.Get("adamw"));
        Assert.That(e!.Message, Does.StartWith("Unknown optimizer 'adamw'. Known: sgd, momentum, adam, rmsprop, adagrad, adadelta, adamax, nadam."));
        Assert.That(e.ParamName, Is.EqualTo("name"));
    }

    [Test]
    public void TheNamesCarryKerasDefaults()
    {
        var adadelta = (AdadeltaOptimizer)Optimizers.Get("adadelta");
        Assert.That((adadelta.LearningRate.Value, adadelta.Rho.Value, adadelta.Epsilon.Value), Is.EqualTo((0.001, 0.95, 1e-7)));
        var adamax = (AdamaxOptimizer)Optimizers.Get("adamax");
        Assert.That((adamax.LearningRate.Value, adamax.Beta1, adamax.Beta2.Value, adamax.Epsilon.Value), Is.EqualTo((0.001, 0.9, 0.999, 1e-7)));
        var nadam = (NadamOptimizer)Optimizers.Get("nadam");
        Assert.That((nadam.LearningRate.Value, nadam.Beta1, nadam.Beta2, nadam.Epsilon.Value), Is.EqualTo((0.001, 0.9, 0.999, 1e-7)));
        var adam = (AdamOptimizer)Optimizers.Get("adam");
        Assert.That((adam.LearningRate.Value, adam.Beta1, adam.Beta2, adam.Epsilon.Value), Is.EqualTo((0.001, 0.9, 0.999, 1e-7)));
        var rmsprop = (RmsPropOptimizer)Optimizers.Get("rmsprop");
        Assert.That((rmsprop.LearningRate.Value, rmsprop.Decay.Value, rmsprop.Momentum.Value, rmsprop.Epsilon.Value, rmsprop.Centered),
            Is.EqualTo((0.001, 0.9, 0.0, 1e-7, false)));
        var adagrad = (AdagradOptimizer)Optimizers.Get("adagrad");
        Assert.That((adagrad.LearningRate.Value, adagrad.InitialAccumulatorValue), Is.EqualTo((0.001, 0.1)));
        Assert.That(((GradientDescentOptimizer)Optimizers.Get("sgd")).LearningRate.Value, Is.EqualTo(0.01));
        var momentum = (MomentumOptimizer)Optimizers.Get("momentum");
        Assert.That((momentum.LearningRate.Value, momentum.Momentum.Value, momentum.UseNesterov), Is.EqualTo((0.01, 0.9, false)));
    }

    [Test]
    public void TheFactoriesTakeKerasArgumentNames()
    {
        // The slide's SGD(lr=0.01, momentum=0.9, nesterov=True).
        var sgd = (MomentumOptimizer)Optimizers.SGD(learningRate: 0.01, momentum: 0.9, nesterov: true);
        Assert.That((sgd.LearningRate.Value, sgd.Momentum.Value, sgd.UseNesterov), Is.EqualTo((0.01, 0.9, true)));
        Assert.That(Optimizers.SGD(), Is.TypeOf<GradientDescentOptimizer>(), "momentum 0 is plain gradient descent");
        Assert.That(Optimizers.SGD(momentum: 0, nesterov: true), Is.TypeOf<GradientDescentOptimizer>(), "a look-ahead along no velocity is no look-ahead");

        var rmsprop = (RmsPropOptimizer)Optimizers.RMSprop(learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true);
        Assert.That((rmsprop.LearningRate.Value, rmsprop.Decay.Value, rmsprop.Momentum.Value, rmsprop.Epsilon.Value, rmsprop.Centered),
            Is.EqualTo((0.01, 0.8, 0.5, 1e-6, true)));
        var adagrad = (AdagradOptimizer)Optimizers.Adagrad(learningRate: 0.05, initialAccumulatorValue: 0.2);
        Assert.That((adagrad.LearningRate.Value, adagrad.InitialAccumulatorValue), Is.EqualTo((0.05, 0.2)));
        var adadelta = (AdadeltaOptimizer)Optimizers.Adadelta(learningRate: 1.0, rho: 0.9, epsilon: 1e-6);
        Assert.That((adadelta.LearningRate.Value, adadelta.Rho.Value, adadelta.Epsilon.Value), Is.EqualTo((1.0, 0.9, 1e-6)));
        var adam = (AdamOptimizer)Optimizers.Adam(learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-8);
        Assert.That((adam.LearningRate.Value, adam.Beta1, adam.Beta2, adam.Epsilon.Value), Is.EqualTo((0.01, 0.8, 0.99, 1e-8)));
        var adamax = (AdamaxOptimizer)Optimizers.Adamax(learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-8);
        Assert.That((adamax.LearningRate.Value, adamax.Beta1, adamax.Beta2.Value, adamax.Epsilon.Value), Is.EqualTo((0.002, 0.8, 0.99, 1e-8)));
        var nadam = (NadamOptimizer)Optimizers.Nadam(learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-8);
        Assert.That((nadam.LearningRate.Value, nadam.Beta1, nadam.Beta2, nadam.Epsilon.Value), Is.EqualTo((0.002, 0.8, 0.99, 1e-8)));
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void SgdRefusesAMomentumOutsideZeroToOne(double momentum)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Optimizers.SGD(momentum: momentum));
        Assert.That(e!.ParamName, Is.EqualTo("momentum"));
        Assert.That(e.Message, Does.Contain("SGD's momentum must lie in [0, 1]"));
    }

    [Test]
    public void AFactoryTakesALearningRateTensor()
    {
        var g = new Graph();
        var rate = g.Variable(Tensor.Scalar(0.5f), "rate", trainable: false);
        var sgd = (GradientDescentOptimizer)Optimizers.SGD(learningRate: rate);
        Assert.That(sgd.LearningRate.Tensor, Is.EqualTo(rate));
        var nadam = (NadamOptimizer)Optimizers.Nadam(learningRate: rate);
        Assert.That(nadam.LearningRate.Tensor, Is.EqualTo(rate));
    }

    /// <summary>The same seeded 4-5-3 classifier on fixed data; returns the per-epoch losses and the trained weights.</summary>
    private static (double[] Losses, double[][] Weights) Train(Optimizer optimizer)
    {
        var model = new Sequential([
            new Layers.Dense(5, activation: "relu", inputShape: [4]),
            new Layers.Dense(3, activation: "softmax"),
        ]) { Seed = 11 };
        model.Compile(optimizer, "categorical_crossentropy");
        var random = new Random(5);
        var x = new float[12, 4];
        var y = new float[12, 3];
        for (int i = 0; i < 12; i++)
        {
            for (int j = 0; j < 4; j++) x[i, j] = (float)(random.NextDouble() * 2 - 1);
            y[i, random.Next(3)] = 1;
        }
        var history = model.Fit((Tensor)x, (Tensor)y, epochs: 6, batchSize: 4, shuffle: false, verbose: 0);
        return (history["loss"].ToArray(), model.GetWeights().Select(w => w.ToDoubles()).ToArray());
    }

    [Test]
    public void SgdWithNesterovIsMomentumWithNesterovStepForStep()
    {
        var (losses, weights) = Train(Optimizers.SGD(learningRate: 0.05, momentum: 0.9, nesterov: true));
        var (momentumLosses, momentumWeights) = Train(new MomentumOptimizer(0.05, 0.9, useNesterov: true));
        Assert.That(losses, Is.EqualTo(momentumLosses));
        Assert.That(weights, Is.EqualTo(momentumWeights));

        var (plainMomentumLosses, _) = Train(Optimizers.SGD(learningRate: 0.05, momentum: 0.9));
        Assert.That(losses[1..], Is.Not.EqualTo(plainMomentumLosses[1..]), "the look-ahead changes the steps, so the check above can tell");
        Assert.That(losses[^1], Is.LessThan(losses[0]), "it trains");
    }

    [TestCase("adadelta", typeof(AdadeltaOptimizer))]
    [TestCase("adamax", typeof(AdamaxOptimizer))]
    [TestCase("nadam", typeof(NadamOptimizer))]
    public void ACompiledModelTrainsWithTheNewOptimizersByName(string name, Type kind)
    {
        var model = new Sequential([new Layers.Dense(1, inputShape: [2])]) { Seed = 3 };
        model.Compile(name, "mse");
        Assert.That(model.CompiledWith!.Value.Optimizer, Is.TypeOf(kind));
        Tensor x = new float[,] { { 0, 1 }, { 1, 0 }, { 1, 1 }, { 2, -1 } };
        Tensor y = new float[,] { { 1 }, { 2 }, { 3 }, { 3 } };   // y = 2 x1 + x2
        var before = model.GetWeights().Select(w => w.ToDoubles()).ToArray();
        var history = model.Fit(x, y, epochs: 20, batchSize: 4, verbose: 0);
        Assert.That(model.GetWeights().Select(w => w.ToDoubles()), Is.Not.EqualTo(before), "the updates ran");
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]), "downhill, however slowly (Adadelta's first steps are about √ε small)");
    }
}
