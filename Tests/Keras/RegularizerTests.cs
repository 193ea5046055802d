using GraphDL.Keras;
using GraphDL.Tests.Engine;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>
/// Keras's weight regularizers: L1 = l1·Σ|w|, L2 = l2·Σw² (no ½), their sum for L1L2; a layer's penalties join the
/// compiled model's loss, so they show in the reported "loss" and in the gradient of each step.
/// </summary>
public class RegularizerTests
{
    private static readonly double[,] W = { { 0.5, -1.5, 2.0 }, { -0.25, 0.0, 3.0 } };

    private static double SumAbs(IEnumerable<double> w) => w.Sum(Math.Abs);
    private static double SumSquares(IEnumerable<double> w) => w.Sum(v => v * v);
    private static IEnumerable<double> Values(Tensor t) => Enumerable.Range(0, t.Size).Select(t.GetDouble);
    private static IEnumerable<double> Values(double[,] a) => a.Cast<double>();

    [Test]
    public void PenaltiesFollowKerasFormulas()
    {
        var g = new Graph();
        var w = g.Constant(W);
        var l1 = Regularizers.L1(0.03).Penalty(g, w);
        var l2 = Regularizers.L2(0.07).Penalty(g, w);
        var both = Regularizers.L1L2(0.03, 0.07).Penalty(g, w);
        using var sess = new Session(g);
        double abs = SumAbs(Values(W)), squares = SumSquares(Values(W));
        Assert.That(sess.Run(l1).GetDouble(0), Is.EqualTo(0.03 * abs).Within(1e-12));
        Assert.That(sess.Run(l2).GetDouble(0), Is.EqualTo(0.07 * squares).Within(1e-12), "Keras's L2 has no 1/2");
        Assert.That(sess.Run(both).GetDouble(0), Is.EqualTo(0.03 * abs + 0.07 * squares).Within(1e-12));
    }

    [Test]
    public void NamesGiveKerasDefaultsAndAnUnknownNameIsAClearError()
    {
        var l1 = (L1L2Regularizer)Regularizers.Get("l1")!;
        var l2 = (L1L2Regularizer)Regularizers.Get("L2")!;
        var l1l2 = (L1L2Regularizer)Regularizers.Get("l1_l2")!;
        Assert.That((l1.L1, l1.L2), Is.EqualTo((0.01, 0.0)));
        Assert.That((l2.L1, l2.L2), Is.EqualTo((0.0, 0.01)));
        Assert.That((l1l2.L1, l1l2.L2), Is.EqualTo((0.01, 0.01)));
        Assert.That(Regularizers.Get(null), Is.Null);

        var dense = new Layers.Dense(2, kernelRegularizer: "l2");
        Assert.That(((L1L2Regularizer)dense.KernelRegularizer!).L2, Is.EqualTo(0.01));

        var e = Assert.Throws<ArgumentException>(() => Regularizers.Get("l3"))!;
        Assert.That(e.Message, Does.Contain("'l3'").And.Contain("l1_l2"));
        Assert.Throws<ArgumentException>(() => new Layers.Conv2D(4, 3, kernelRegularizer: "ridge"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Regularizers.L2(-0.1));
    }

    [Test]
    public void LayersCollectOnePenaltyPerRegularizedWeight()
    {
        var dense = new Layers.Dense(3, kernelRegularizer: Regularizers.L2(0.1), biasRegularizer: Regularizers.L1(0.2));
        var plain = new Layers.Dense(2);
        var model = new Sequential([new Layers.Dense(4, inputShape: [2]), dense, plain]);
        _ = model.Graph;
        Assert.That(dense.Losses, Has.Count.EqualTo(2));
        Assert.That(plain.Losses, Is.Empty);
        Assert.That(model.RegularizationLosses, Has.Count.EqualTo(2));

        var conv2d = new Layers.Conv2D(2, 3, inputShape: [5, 5, 1], kernelRegularizer: "l1");
        var conv1d = new Layers.Conv1D(2, 2, biasRegularizer: "l2");
        var wrapped = new Layers.Dense(1, kernelRegularizer: "l1_l2");
        var convModel = new Sequential([conv2d, new Layers.Reshape([9, 2]), conv1d, new Layers.TimeDistributed(wrapped)]);
        _ = convModel.Graph;
        Assert.That(conv2d.Losses, Has.Count.EqualTo(1));
        Assert.That(conv1d.Losses, Has.Count.EqualTo(1));
        Assert.That(convModel.RegularizationLosses, Has.Count.EqualTo(3), "a wrapper's layer counts too");

        // The penalty's value is the formula on the layer's current weights.
        var kernel = model.Session.GetValue(dense.Kernel);
        Assert.That(model.Session.Run(dense.Losses[0]).GetDouble(0), Is.EqualTo(0.1 * SumSquares(Values(kernel))).Within(1e-6));
    }

    [Test]
    public void RecurrentLayersAndNestedModelsBringTheirPenalties()
    {
        var lstm = new Layers.LSTM(3, inputShape: [4, 2]) { KernelRegularizer = "l2", RecurrentRegularizer = Regularizers.L1(0.5), BiasRegularizer = "l1" };
        var gru = new Layers.GRU(2, inputShape: [4, 2]) { RecurrentRegularizer = "l2" };
        Assert.That(lstm.Losses, Is.Empty, "penalties are made when the layer builds");

        var inner = new Sequential([lstm, new Layers.Dense(1, kernelRegularizer: "l1")], name: "inner");
        var input = Layers.Input([4, 2]);
        var outer = new Model(input, new Layers.Dense(1, biasRegularizer: "l2").Apply(inner.Apply(input)));
        Assert.That(outer.RegularizationLosses, Has.Count.EqualTo(5), "the nested model's four and the outer Dense's one");
        var recurrentKernel = outer.Session.GetValue(lstm.Weights[1]);
        Assert.That(outer.Session.Run(lstm.Losses[1]).GetDouble(0), Is.EqualTo(0.5 * SumAbs(Values(recurrentKernel))).Within(1e-5));

        var gruModel = new Sequential([gru]);
        _ = gruModel.Graph;
        Assert.That(gru.Losses, Has.Count.EqualTo(1));
    }

    [Test]
    public void RegularizersLeaveTheParameterCountsAlone()
    {
        static Sequential Build(bool regularized) => new([
            new Layers.Conv2D(4, 3, inputShape: [6, 6, 2], kernelRegularizer: regularized ? Regularizers.L2() : null),
            new Layers.Flatten(),
            new Layers.Dense(5, kernelRegularizer: regularized ? Regularizers.L1L2() : null, biasRegularizer: regularized ? Regularizers.L1() : null),
        ]);
        var (with, without) = (Build(true), Build(false));
        Assert.That(with.Summary(TextWriter.Null), Is.EqualTo(without.Summary(TextWriter.Null)));
        Assert.That(with.CountParams(), Is.EqualTo(without.CountParams()));
        Assert.That(with.RegularizationLosses, Has.Count.EqualTo(3));
    }

    // A linear Dense(1) on two features with mse: small enough for the loss and its gradient by hand.
    private static readonly float[,] X = { { 1, 2 }, { -1, 0.5f }, { 3, -2 }, { 0, 1 } };
    private static readonly float[,] Y = { { 1 }, { 0 }, { -2 }, { 0.5f } };
    private static readonly double[] Kernel = { 0.4, -0.7 };
    private const double Bias = 0.3;
    private const double L1 = 0.05, L2 = 0.2, BiasL2 = 0.1, LearningRate = 0.1;

    private static Sequential LinearModel()
    {
        var model = new Sequential([new Layers.Dense(1, inputShape: [2],
            kernelRegularizer: Regularizers.L1L2(L1, L2), biasRegularizer: Regularizers.L2(BiasL2))]);
        model.Compile(new GradientDescentOptimizer(LearningRate), "mse");
        model.SetWeights([new float[,] { { (float)Kernel[0] }, { (float)Kernel[1] } }, new[] { (float)Bias }]);
        return model;
    }

    private static double[] Residuals() => Enumerable.Range(0, 4)
        .Select(i => X[i, 0] * Kernel[0] + X[i, 1] * Kernel[1] + Bias - Y[i, 0]).ToArray();

    private static double Penalty() => L1 * SumAbs(Kernel) + L2 * SumSquares(Kernel) + BiasL2 * Bias * Bias;

    [Test]
    public void ReportedLossIsTheDataLossPlusThePenalties()
    {
        var model = LinearModel();
        double dataLoss = Residuals().Average(r => r * r);
        Assert.That(Penalty(), Is.GreaterThan(0.05), "the penalty is large enough to tell apart");
        Assert.That(model.Evaluate(X, Y, verbose: 0)["loss"], Is.EqualTo(dataLoss + Penalty()).Within(1e-5));

        // Fit's first epoch, one batch, reports the loss before its step, so the same figure.
        var history = model.Fit(X, Y, epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
        Assert.That(history["loss"][0], Is.EqualTo(dataLoss + Penalty()).Within(1e-5));
    }

    [Test]
    public void OneSgdStepFollowsTheGradientOfThePenaltiesToo()
    {
        var model = LinearModel();
        model.Fit(X, Y, epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
        var after = model.GetWeights();

        var r = Residuals();
        for (int j = 0; j < 2; j++)
        {
            // mse's gradient, then Keras's penalties: l1·sign(w) and 2·l2·w (no ½ in L2).
            double dW = 2.0 / 4 * Enumerable.Range(0, 4).Sum(i => X[i, j] * r[i]) + L1 * Math.Sign(Kernel[j]) + 2 * L2 * Kernel[j];
            Assert.That(after[0].GetDouble(j), Is.EqualTo(Kernel[j] - LearningRate * dW).Within(1e-6), $"kernel[{j}]");
        }
        double db = 2.0 / 4 * r.Sum() + 2 * BiasL2 * Bias;
        Assert.That(after[1].GetDouble(0), Is.EqualTo(Bias - LearningRate * db).Within(1e-6), "bias");
    }

    private static IEnumerable<GradCase> PenaltyCases()
    {
        var awayFromZero = GradCase.AwayFromZero(0.1, 3);
        yield return new GradCase("L1 penalty", [new Shape(3, 4)], (g, x) => Regularizers.L1(0.3).Penalty(g, x[0])) { Sample = awayFromZero };
        yield return new GradCase("L2 penalty", [new Shape(3, 4)], (g, x) => Regularizers.L2(0.3).Penalty(g, x[0]));
        yield return new GradCase("L1L2 penalty", [new Shape(3, 4)], (g, x) => Regularizers.L1L2(0.2, 0.5).Penalty(g, x[0])) { Sample = awayFromZero };
    }

    [TestCaseSource(nameof(PenaltyCases))]
    public void PenaltyGradientMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    [TestCaseSource(nameof(PenaltyCases))]
    public void PenaltySecondOrderMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.CheckSecondOrder(c);
}
