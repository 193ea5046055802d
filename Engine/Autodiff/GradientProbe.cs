namespace GraphDL;

/// <summary>
/// Measures the gradient of a loss with respect to one tensor the loss reads, both ways: the symbolic gradient
/// it is given, and central differences of the loss along each element, taken from its values at x, x ± h and
/// x ± 2h with an uncertainty measured from the same five values (see the remarks on <see cref="GradientCheck"/>).
/// </summary>
/// <param name="work">The tensor to perturb (on the host); every element is back at its value between probes.</param>
/// <param name="apply">Makes the session see <paramref name="work"/> after a change.</param>
/// <param name="loss">The loss at the values the session sees, summed in double (<see cref="LossOf"/>).</param>
/// <param name="atX">The loss at the unperturbed values.</param>
/// <param name="lossDType">The loss's dtype: with the perturbed tensor's, the coarser of the two sets the rounding allowed for.</param>
/// <param name="options">The step and tolerance; each defaults by <paramref name="work"/>'s dtype.</param>
internal sealed class GradientProbe(Tensor work, Action apply, Func<double> loss, double atX, DType lossDType, GradientCheckOptions options)
{
    private readonly double _step = options.Step ?? (work.DType == DType.Float64 ? GradientCheck.Float64Step : GradientCheck.Float32Step);
    private readonly double _rtol = options.RelativeTolerance ?? (work.DType == DType.Float64 ? GradientCheck.Float64Tolerance : GradientCheck.Float32Tolerance);
    private readonly double _roundoff = GradientCheck.LossRoundings * Math.Max(UnitRoundoff(work.DType), UnitRoundoff(lossDType));

    /// <summary>The loss at the session's current values, summed in double.</summary>
    public static Func<double> LossOf(Session session, Output loss, FeedDict feeds) => () =>
    {
        var value = session.Run(loss, feeds).ToHost();
        double sum = 0;
        for (int i = 0; i < value.Size; i++) sum += value.GetDouble(i);
        return sum;
    };

    /// <summary>The flat indices to perturb: all of them, or a seeded sample of <paramref name="max"/>, in order.</summary>
    public static int[] Sample(int size, int max, int seed)
    {
        var all = Enumerable.Range(0, size).ToArray();
        if (size <= max) return all;
        var rng = new Random(seed);
        for (int i = 0; i < max; i++)
        {
            int j = rng.Next(i, size);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..max].Order().ToArray();
    }

    /// <summary>Compares <paramref name="symbolic"/> with central differences at the elements <paramref name="indices"/>.</summary>
    /// <param name="name">The name the result carries: the variable's, or the value's on the path.</param>
    /// <param name="symbolic">The gradient the graph computed, of the probed value's shape.</param>
    /// <param name="indices">The flat (row-major) indices of the elements to perturb.</param>
    public VariableCheck Compare(string name, Tensor symbolic, int[] indices)
    {
        symbolic = symbolic.ToHost();
        double maxAbs = 0, maxRel = 0, worstRatio = -1;
        int worst = -1, disagreements = 0;
        double worstSymbolic = 0, worstNumerical = 0, worstAllowed = 0;
        foreach (int k in indices)
        {
            double s = symbolic.GetDouble(k);
            var (n, uncertainty) = Derivative(k);
            double error = Math.Abs(s - n), scale = Math.Max(Math.Abs(s), Math.Abs(n));
            double allowed = _rtol * scale + uncertainty;
            // How far outside (above 1) or inside what is allowed the element lies; the report shows the largest.
            double ratio = double.IsNaN(error) ? double.PositiveInfinity : allowed > 0 ? error / allowed : error > 0 ? double.PositiveInfinity : 0;
            if (!(ratio <= 1)) disagreements++;   // NaN never agrees
            maxAbs = Math.Max(maxAbs, double.IsNaN(error) ? double.PositiveInfinity : error);
            maxRel = Math.Max(maxRel, double.IsNaN(error) ? double.PositiveInfinity : scale > 0 ? error / scale : 0);
            if (ratio > worstRatio) (worstRatio, worst, worstSymbolic, worstNumerical, worstAllowed) = (ratio, k, s, n, allowed);
        }
        return new VariableCheck(name, work.Shape, work.DType, indices.Length, maxAbs, maxRel, disagreements,
            worst >= 0 ? Unflatten(worst, work.Shape) : [], worstSymbolic, worstNumerical, worstAllowed);
    }

    /// <summary>A central difference and how far it may be from the derivative.</summary>
    private readonly record struct Estimate(double Value, double Uncertainty);

    private Estimate Derivative(int k)
    {
        double x = work.GetDouble(k);
        double h = _step * Math.Max(1, Math.Abs(x));
        // The positions actually stored, which in Float32 are not exactly x ± h, are what the loss was taken at.
        var (p1, f1) = LossAt(k, x + h);
        var (m1, fm1) = LossAt(k, x - h);
        var (p2, f2) = LossAt(k, x + 2 * h);
        var (m2, fm2) = LossAt(k, x - 2 * h);
        work.SetDouble(k, x);
        apply();

        double central = (f1 - fm1) / (p1 - m1);
        double wide = (f2 - fm2) / (p2 - m2);
        // Second differences to the left of, around and to the right of x: equal up to about h·f''' where the
        // loss is smooth, apart by about J/h where a kink with slope jump J lies within 2h. h times their
        // spread thus bounds what a kink does to the central difference (at most J/2).
        double left = SecondDifference(m2, fm2, m1, fm1, x, atX);
        double around = SecondDifference(m1, fm1, x, atX, p1, f1);
        double right = SecondDifference(x, atX, p1, f1, p2, f2);
        double spread = Math.Max(Math.Max(left, around), right) - Math.Min(Math.Min(left, around), right);
        double noise = _roundoff * (Math.Abs(f1) + Math.Abs(fm1)) / (p1 - m1);
        return new Estimate(central, Math.Abs(central - wide) + (p1 - m1) / 2 * spread + noise);
    }

    private (double Stored, double Loss) LossAt(int k, double value)
    {
        work.SetDouble(k, value);
        apply();
        return (work.GetDouble(k), loss());
    }

    /// <summary>Twice the second divided difference: f'' of the parabola through three points.</summary>
    private static double SecondDifference(double a, double fa, double b, double fb, double c, double fc) =>
        2 * ((fc - fb) / (c - b) - (fb - fa) / (b - a)) / (c - a);

    /// <summary>The unit roundoff of a floating dtype: half the distance from 1 to the next value.</summary>
    private static double UnitRoundoff(DType dtype) => dtype == DType.Float64 ? Math.Pow(2, -53) : Math.Pow(2, -24);

    private static int[] Unflatten(int flat, Shape shape)
    {
        var index = new int[shape.Rank];
        for (int axis = shape.Rank - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }
}
