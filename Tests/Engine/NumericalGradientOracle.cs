using NUnit.Framework;
namespace GraphDL.Tests.Engine;

/// <summary>
/// The op catalogue's oracle: central-difference gradient checks in Float64 with one fixed tolerance, which
/// every op's gradient is held to. (Users check their own graphs with <see cref="GradientCheck"/>, whose
/// allowance is measured per element; that is tested in <see cref="UserGradientCheckTests"/>.) The scalar
/// checked is Σ y ⊙ w with fixed random weights w, so every output element's gradient is exercised with a
/// different dout. In second order the scalar is the first gradient along fixed random directions v,
/// Σ_i Σ dx_i ⊙ v_i, so its gradient is the Hessian-vector product H v, built by differentiating the gradient
/// graph, and its central differences are those of the first gradient.
/// </summary>
public static class NumericalGradientOracle
{
    public const double Epsilon = 1e-5;

    /// <summary>Builds the case, compares symbolic and numerical gradients for every input, and returns the forward op types.</summary>
    public static HashSet<Type> Check(GradCase c) => Check(c, secondOrder: false);

    /// <summary>Compares the gradient of the gradient (H v) with central differences of the first gradient along v.</summary>
    public static void CheckSecondOrder(GradCase c) => Check(c, secondOrder: true);

    private static HashSet<Type> Check(GradCase c, bool secondOrder)
    {
        var g = new Graph();
        var rng = new Random(c.Name.Length * 7919 + 17);
        var xs = c.Shapes.Select((s, i) => g.Placeholder(DType.Float64, s, $"x{i}")).ToArray();
        var values = c.Shapes.Select(s =>
        {
            var t = new Tensor(s, DType.Float64);
            for (int k = 0; k < t.Size; k++) t.SetDouble(k, c.Sample(rng));
            return t;
        }).ToArray();

        var y = c.Build(g, xs);
        int forwardEnd = g.Nodes.Count;
        var weights = new Tensor(y.Shape, DType.Float64);
        for (int k = 0; k < weights.Size; k++) weights.SetDouble(k, rng.NextDouble() * 2 - 1);
        var loss = g.ReduceSum(g.Cast(y, DType.Float64, "as_f64") * g.Constant(weights));
        if (secondOrder) loss = FirstGradientAlongDirections(g, c, loss, xs, values, rng);
        if (secondOrder && c.SecondOrderError is { } expected)
        {
            Assert.That(() => g.Gradients([loss], xs), Throws.InvalidOperationException.With.Message.Contains(expected),
                $"{c.Name}: asking for a second derivative must fail clearly, not give a silent zero");
            return g.Nodes.Take(forwardEnd).Select(n => n.Op.GetType()).ToHashSet();
        }
        var grads = g.Gradients([loss], xs);

        using var sess = new Session(g);
        var feeds = new FeedDict();
        for (int i = 0; i < xs.Length; i++) feeds[xs[i]] = values[i];

        for (int i = 0; i < xs.Length; i++)
        {
            if (c.Constant.Contains(i)) continue;
            double[] symbolic = grads[i] is { } gi ? sess.Run(gi, feeds).ToDoubles() : new double[values[i].Size];
            Assert.That(symbolic, Has.Length.EqualTo(values[i].Size), $"{c.Name}: gradient size for input {i}");
            for (int k = 0; k < values[i].Size; k++)
            {
                double original = values[i].GetDouble(k);
                values[i].SetDouble(k, original + Epsilon);
                double plus = sess.Run(loss, feeds).Scalar<double>();
                values[i].SetDouble(k, original - Epsilon);
                double minus = sess.Run(loss, feeds).Scalar<double>();
                values[i].SetDouble(k, original);
                double numerical = (plus - minus) / (2 * Epsilon);
                double tolerance = 1e-6 + 1e-5 * Math.Abs(numerical);
                Assert.That(symbolic[k], Is.EqualTo(numerical).Within(tolerance),
                    $"{c.Name}: d {(secondOrder ? "(dx . v)" : "loss")} / d x{i}[{k}] symbolic {symbolic[k]} vs numerical {numerical}");
            }
        }
        return g.Nodes.Take(forwardEnd).Select(n => n.Op.GetType()).ToHashSet();
    }

    /// <summary>
    /// Σ_i Σ dx_i ⊙ v_i over the differentiated inputs, v_i random and fixed. An input whose first gradient is
    /// null (no path) adds nothing; when none has one, the scalar is a constant 0 and every H v must be zero.
    /// </summary>
    private static Output FirstGradientAlongDirections(Graph g, GradCase c, Output loss, Output[] xs, Tensor[] values, Random rng)
    {
        var dxs = g.Gradients([loss], xs);
        var terms = new List<Output>();
        for (int i = 0; i < xs.Length; i++)
        {
            if (c.Constant.Contains(i) || dxs[i] is not { } dx) continue;
            var v = new Tensor(values[i].Shape, DType.Float64);
            for (int k = 0; k < v.Size; k++) v.SetDouble(k, rng.NextDouble() * 2 - 1);
            terms.Add(g.ReduceSum(dx * g.Constant(v)));
        }
        return terms.Count switch
        {
            0 => g.Constant(0.0),
            1 => terms[0],
            _ => g.AddN(terms),
        };
    }
}

/// <summary>One gradient-check case: input shapes, a builder, and how to sample inputs (away from kinks).</summary>
public sealed record GradCase(string Name, Shape[] Shapes, Func<Graph, Output[], Output> Build)
{
    public Func<Random, double> Sample { get; init; } = r => r.NextDouble() * 4 - 2;

    /// <summary>Inputs that are parameters of the case rather than differentiated (their gradient is not checked).</summary>
    public int[] Constant { get; init; } = [];

    /// <summary>
    /// For an op whose gradient is not itself differentiable (as TF1's CTC loss): the second-order check then
    /// asserts that building the second derivative fails with a message containing this text.
    /// </summary>
    public string? SecondOrderError { get; init; }

    public override string ToString() => Name;

    /// <summary>Uniform on ±[lo, hi]: keeps inputs away from 0 where an op has a kink there.</summary>
    public static Func<Random, double> AwayFromZero(double lo = 0.2, double hi = 2) =>
        r => (r.Next(2) == 0 ? -1 : 1) * (lo + (hi - lo) * r.NextDouble());

    public static Func<Random, double> Positive(double lo = 0.3, double hi = 3) => r => lo + (hi - lo) * r.NextDouble();
}
