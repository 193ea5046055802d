using GraphDL.Keras;
using GraphDL.Tests.Engine;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>
/// Each Keras loss differentiated with respect to the predictions, against central differences in Float64
/// (<see cref="NumericalGradientOracle"/>, the op catalogue's oracle), in first and second order. The labels are
/// constants of the case; the predictions are sampled where the loss is smooth: inside (0, 1) for probabilities,
/// positive for the logs.
/// </summary>
public class LossGradientTests
{
    private static readonly double[,] Regression = { { 0.5, -1.0, 2.0, 0.0 }, { 1.5, 0.25, -0.75, 3.0 }, { -2.0, 1.0, 0.5, 1.25 } };
    private static readonly double[,] Positive = { { 0.5, 1.0, 2.0, 0.2 }, { 1.5, 0.25, 0.75, 3.0 }, { 2.0, 1.0, 0.5, 1.25 } };
    private static readonly double[,] ZeroOne = { { 1, 0, 1, 0 }, { 0, 0, 1, 1 }, { 1, 1, 0, 1 } };
    private static readonly double[,] Signs = { { 1, -1, 1, -1 }, { -1, -1, 1, 1 }, { 1, 1, -1, 1 } };
    private static readonly double[,] OneHot = { { 0, 1, 0, 0 }, { 0, 0, 0, 1 }, { 1, 0, 0, 0 } };
    private static readonly double[,] Distributions = { { 0.1, 0.4, 0.3, 0.2 }, { 0.25, 0.25, 0.25, 0.25 }, { 0.7, 0.1, 0.1, 0.1 } };

    private static readonly Shape Batch = new(3, 4);

    private static GradCase Case(string name, double[,] labels, Func<Random, double> sample, Func<Output, Output>? output = null) =>
        new($"{name} with respect to the predictions", [Batch], (g, x) => Losses.Get(name)(g.Constant(labels), (output ?? (p => p))(x[0])))
        { Sample = sample };

    private static IEnumerable<GradCase> Cases()
    {
        var anywhere = GradCase.AwayFromZero(0.1, 3);
        var positive = GradCase.Positive(0.2, 3);
        var probability = GradCase.Positive(0.05, 0.95);
        yield return Case("mean_squared_error", Regression, anywhere);
        yield return Case("mean_absolute_error", Regression, anywhere);
        // Not Regression's label of 0: divided by ε it makes the loss ~1e9, whose rounding swamps the central differences.
        yield return Case("mean_absolute_percentage_error", Positive, anywhere);
        yield return Case("mean_squared_logarithmic_error", Positive, positive);
        yield return Case("log_cosh", Regression, anywhere);
        yield return Case("huber", Regression, anywhere);
        yield return Case("poisson", Positive, positive);
        yield return Case("cosine_similarity", Regression, anywhere);
        yield return Case("hinge", Signs, anywhere);
        yield return Case("hinge", ZeroOne, anywhere) with { Name = "hinge with 0/1 labels" };
        yield return Case("squared_hinge", ZeroOne, anywhere);
        yield return Case("categorical_hinge", OneHot, anywhere);
        yield return Case("binary_crossentropy", ZeroOne, probability);
        yield return Case("binary_crossentropy", Distributions, anywhere, p => p.Graph.Sigmoid(p)) with { Name = "binary_crossentropy of a sigmoid" };
        yield return Case("categorical_crossentropy", Distributions, probability);
        yield return Case("categorical_crossentropy", OneHot, anywhere, p => p.Graph.Softmax(p)) with { Name = "categorical_crossentropy of a softmax" };
        yield return Case("kl_divergence", Distributions, probability);
        yield return new GradCase("sparse_categorical_crossentropy with respect to the predictions", [Batch],
            (g, x) => Losses.SparseCategoricalCrossentropy(g.Constant(new[] { 1, 3, 0 }), x[0])) { Sample = probability };
        yield return new GradCase("sparse_categorical_crossentropy of a softmax", [Batch],
            (g, x) => Losses.SparseCategoricalCrossentropy(g.Constant(new[] { 1, 3, 0 }), g.Softmax(x[0]))) { Sample = anywhere };
        yield return new GradCase("huber with δ = 0.5", [Batch], (g, x) => Losses.Huber(g.Constant(Regression), x[0], 0.5)) { Sample = anywhere };
    }

    [TestCaseSource(nameof(Cases))]
    public void GradientMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    /// <summary>The gradient of each loss is itself a graph, so the Hessian-vector product is checked too (zero for the piecewise-linear ones).</summary>
    [TestCaseSource(nameof(Cases))]
    public void SecondDerivativeMatchesCentralDifferencesOfTheFirst(GradCase c) => NumericalGradientOracle.CheckSecondOrder(c);
}
