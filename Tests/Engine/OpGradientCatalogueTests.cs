using NUnit.Framework;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace GraphDL.Tests.Engine;

/// <summary>Every case of <see cref="OpCatalogue"/> against <see cref="NumericalGradientOracle"/> in first and second order, and the guard that no op escapes the catalogue.</summary>
public class OpGradientCatalogueTests
{
    private static IEnumerable<GradCase> Cases() => OpCatalogue.Cases();

    [TestCaseSource(nameof(Cases))]
    public void SymbolicGradientMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    /// <summary>
    /// Every gradient is itself differentiable: the gradient of the gradient (H v) matches central differences of
    /// the first. For the piecewise-linear ops (Relu, Abs, Maximum, ReduceMax, MaxPool, ...) H v is zero away
    /// from the kinks, and the check is that it is built and is zero.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void SecondDerivativeMatchesCentralDifferencesOfTheFirst(GradCase c) => NumericalGradientOracle.CheckSecondOrder(c);

    [Test]
    public void EveryOpIsCheckedOrDeclaredNotDifferentiable()
    {
        var covered = OpCatalogue.Cases().SelectMany(c => BuildOpTypes(c)).ToHashSet();
        var missing = typeof(Op).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract)
            .Where(t => !covered.Contains(t) && !OpCatalogue.CheckedElsewhere.ContainsKey(t))
            .Where(t => ((Op)RuntimeHelpers.GetUninitializedObject(t)).IsDifferentiable)
            .Select(t => t.Name)
            .ToList();
        Assert.That(missing, Is.Empty, "Ops with neither a gradient check nor IsDifferentiable => false");
    }

    private static IEnumerable<Type> BuildOpTypes(GradCase c)
    {
        var g = new Graph();
        var xs = c.Shapes.Select((s, i) => g.Placeholder(DType.Float64, s, $"x{i}")).ToArray();
        c.Build(g, xs);
        return g.Nodes.Select(n => n.Op.GetType());
    }
}
