using System.Globalization;
using System.Text;

namespace GraphDL;

/// <summary>
/// Checks the gradients of a user's own graph: for each trainable variable the loss's gradient reaches,
/// the symbolic gradient (<see cref="Graph.Gradients"/>, run in the session) is compared with central
/// differences of the loss, taken by perturbing the variable's elements one at a time at their current
/// values. Variables are restored to their exact values afterwards, also when the check fails, and the
/// gradient nodes the check builds are removed again, so the graph and the session are left as they were.
/// </summary>
/// <remarks>
/// <para>
/// Each element x is moved to x ± h and x ± 2h, with h = <see cref="GradientCheckOptions.Step"/>·max(1, |x|),
/// and the numerical derivative is the central difference D(h) = (L(x+h) − L(x−h)) / (2h), 2h being the distance
/// between the two values actually stored (a Float32 variable cannot hold every x ± h). How far D(h) may be from
/// the derivative is measured from the same five losses (L(x) included). An element agrees when
/// |symbolic − D(h)| ≤ rtol·max(|symbolic|, |D(h)|) + |D(h) − D(2h)| + h·spread + noise, where:
/// </para>
/// <list type="bullet">
/// <item><c>|D(h) − D(2h)|</c> is about three times the truncation error of D(h) where the loss is smooth;</item>
/// <item><c>spread</c> is the spread of the second differences left of, around and right of x. They agree up to
/// about h·L''' where the loss is smooth, and differ by about J/h where a kink with slope jump J (a ReLU at 0, a
/// max-pool switching its maximum) lies within 2h of x, so h·spread bounds the J/2 a kink can do to D(h): such
/// an element is judged only as closely as the kink allows;</item>
/// <item><c>noise</c> = 16·u·(|L(x+h)| + |L(x−h)|)/(2h) bounds what rounding does to D(h), allowing the loss 16
/// roundings to the coarser of its own and the variable's dtype (unit roundoff u = 2^-24 for Float32, 2^-53 for
/// Float64), as a mean over a batch has. A loss that is a small difference of large terms carries more;</item>
/// <item><c>rtol</c> covers the symbolic gradient's own rounding.</item>
/// </list>
/// <para>
/// Float64 variables use h = 1e-5 and rtol = 1e-7: the measured terms come to about 1e-9 for a loss near 1, so
/// errors down to about that size fail (a millionth of a gradient element of 1e-3). Float32 variables use h = 1e-3 and rtol = 1e-3. With 24
/// bits the noise term is then about 1e-3·|L|, so the check resolves errors of about a thousandth of the loss:
/// a gradient off by 10% is caught where its elements are a few hundredths, one off by 1% is not. A larger step
/// lowers the noise but crosses more kinks: of the steps 1e-3, 3e-3 and 1e-2, only 1e-3 let the correct
/// gradients of a two-layer ReLU network with a batch of 64 and of a small ReLU and max-pool convolutional
/// network pass on each of 5 random draws. To find small errors, build the same graph in Float64.
/// </para>
/// <para>
/// The loss must be deterministic (a dropout layer must be fed a keep probability of 1) and is summed when it
/// is not a scalar, as <see cref="Graph.Gradients"/> sums it. A <see cref="StopGradient"/> between a variable
/// and the loss makes the symbolic gradient differ from the derivative on purpose; such a variable fails.
/// The cost is four runs of the loss per element checked; <see cref="GradientCheckOptions.MaxElementsPerVariable"/>
/// samples large variables. The session keeps what it compiled for these runs, as it keeps every run's: the
/// buffers of a forward and backward pass, and in <see cref="VerifyGradients"/> of one run per value it checks.
/// </para>
/// </remarks>
public static class GradientCheck
{
    /// <summary>How many roundings of the loss the noise allowance covers; see the remarks on <see cref="GradientCheck"/>.</summary>
    public const double LossRoundings = 16;

    /// <summary>The default relative step for Float64 variables.</summary>
    public const double Float64Step = 1e-5;

    /// <summary>The default relative step for Float32 variables.</summary>
    public const double Float32Step = 1e-3;

    /// <summary>The default relative tolerance for Float64 variables.</summary>
    public const double Float64Tolerance = 1e-7;

    /// <summary>The default relative tolerance for Float32 variables.</summary>
    public const double Float32Tolerance = 1e-3;

    /// <summary>
    /// Compares the symbolic gradient of <paramref name="loss"/> with central differences for every trainable
    /// variable it reaches (or <see cref="GradientCheckOptions.Variables"/>), and reports how far they differ.
    /// </summary>
    /// <param name="session">The session holding the variables' current values; they must be initialised.</param>
    /// <param name="loss">A floating-point output of the session's graph; summed when it is not a scalar.</param>
    /// <param name="feeds">The placeholders' values, the same for every run.</param>
    /// <param name="options">Which variables, and the step, tolerance and sampling to use.</param>
    /// <exception cref="ArgumentException">The loss or a variable is not usable (another graph, not floating, fed, not reached).</exception>
    /// <exception cref="InvalidOperationException">The loss is not deterministic, or its gradient cannot be built.</exception>
    public static GradientCheckReport CheckGradients(Session session, Output loss, FeedDict? feeds = null, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        options ??= new GradientCheckOptions();
        feeds ??= [];
        var graph = session.Graph;
        var variables = VariablesToCheck(graph, loss, feeds, options);

        int mark = graph.Nodes.Count;
        var originals = new List<(Output Variable, Tensor Value)>();
        try
        {
            Output?[] gradients;
            using (graph.PushScope("gradient_check")) gradients = graph.Gradients([loss], variables);
            var reached = Enumerable.Range(0, variables.Count).Where(i => gradients[i] is not null).ToArray();
            if (options.Variables is not null && reached.Length < variables.Count)
            {
                var missed = variables.Where((_, i) => gradients[i] is null).Select(v => $"'{v.Name}'");
                throw new ArgumentException($"The gradient of '{loss.Name}' does not reach {string.Join(", ", missed)}.", nameof(options));
            }
            if (reached.Length == 0)
                throw new ArgumentException($"The gradient of '{loss.Name}' reaches no trainable variable; there is nothing to check.", nameof(loss));

            var symbolic = session.Run(reached.Select(i => (Fetch)gradients[i]!.Value).ToArray(), feeds);
            var evaluate = LossFunction(session, loss, feeds);
            double lossValue = evaluate();
            RequireDeterministic(graph, loss, lossValue, evaluate());

            var checks = new List<VariableCheck>();
            for (int r = 0; r < reached.Length; r++)
            {
                var variable = variables[reached[r]];
                var original = session.GetValue(variable);
                originals.Add((variable, original));
                var work = original.ToHost().Clone();
                var probe = new Prober(work, () => session.SetValue(variable, work), evaluate, StepFor(work.DType, options), lossValue, loss.DType);
                var indices = Sample(work.Size, options.MaxElementsPerVariable, options.Seed + r);
                checks.Add(Compare(variable.Name, work.Shape, work.DType, symbolic[r], indices, probe, ToleranceFor(work.DType, options)));
                session.SetValue(variable, original);
            }
            return new GradientCheckReport(loss.Name, lossValue, checks);
        }
        finally
        {
            foreach (var (variable, value) in originals) session.SetValue(variable, value);
            graph.RollBack(mark);
        }
    }

    /// <summary>
    /// Runs <see cref="CheckGradients"/> and returns its report when every gradient agrees; otherwise throws,
    /// naming the first variable that disagrees and, by checking the gradient with respect to each value on
    /// the path from that variable to the loss (fed with perturbed copies), the op whose gradient goes wrong:
    /// the one whose output's gradient agrees while its input's does not.
    /// </summary>
    /// <exception cref="GradientCheckException">A gradient disagrees with central differences.</exception>
    public static GradientCheckReport VerifyGradients(Session session, Output loss, FeedDict? feeds = null, GradientCheckOptions? options = null)
    {
        var report = CheckGradients(session, loss, feeds, options);
        var failed = report.Variables.FirstOrDefault(v => !v.Passed);
        if (failed is null) return report;

        var graph = session.Graph;
        var variable = graph.FindNode(failed.Variable)!.Output;
        int mark = graph.Nodes.Count;
        Localization? where;
        try
        {
            where = Localize(session, loss, feeds ?? [], variable, options ?? new GradientCheckOptions());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            where = null;   // a value on the path that cannot be fed: the variable alone is named
        }
        finally
        {
            graph.RollBack(mark);
        }
        throw new GradientCheckException(Describe(report, failed, variable, loss, where), report, failed, where?.Suspects ?? []);
    }

    private static IReadOnlyList<Output> VariablesToCheck(Graph graph, Output loss, FeedDict feeds, GradientCheckOptions options)
    {
        graph.CheckOwned(loss, "loss passed to CheckGradients");
        if (!loss.DType.IsFloating())
            throw new ArgumentException($"The loss '{loss.Name}' is {loss.DType}; only a Float32 or Float64 loss has a gradient.", nameof(loss));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxElementsPerVariable, 1, nameof(options.MaxElementsPerVariable));
        var variables = options.Variables ?? graph.TrainableVariables.Where(v => v.DType.IsFloating()).ToList();
        foreach (var variable in variables)
        {
            graph.CheckOwned(variable, "variable passed to CheckGradients");
            VariableOp.NodeOf(variable);
            if (!variable.DType.IsFloating())
                throw new ArgumentException($"Variable '{variable.Name}' is {variable.DType}; only Float32 and Float64 variables have gradients.", nameof(options));
            if (feeds.ContainsKey(variable))
                throw new ArgumentException($"Variable '{variable.Name}' is fed, so perturbing its value would change nothing; leave it out of the feeds.", nameof(feeds));
        }
        return variables;
    }

    /// <summary>The loss at the session's current values, summed in double.</summary>
    private static Func<double> LossFunction(Session session, Output loss, FeedDict feeds) => () =>
    {
        var value = session.Run(loss, feeds).ToHost();
        double sum = 0;
        for (int i = 0; i < value.Size; i++) sum += value.GetDouble(i);
        return sum;
    };

    private static void RequireDeterministic(Graph graph, Output loss, double first, double second)
    {
        if (first.Equals(second)) return;
        var ancestors = new HashSet<Node>();
        var stack = new Stack<Node>([loss.Node]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!ancestors.Add(node)) continue;
            foreach (var input in node.Inputs) stack.Push(input.Node);
            foreach (var control in node.ControlInputs) stack.Push(control);
        }
        var stateful = ancestors.Where(n => n.Op.IsStateful && n.Op is not VariableOp).OrderBy(n => n.Id).Select(n => n.ToString()).ToList();
        throw new InvalidOperationException(
            $"The loss '{loss.Name}' gave {Format(first)} and then {Format(second)} with the same variables and feeds; central differences " +
            "need a loss that depends on nothing else." +
            (stateful.Count > 0 ? $" It depends on {string.Join(", ", stateful)}: feed fixed values in their place (a keep probability of 1 for dropout)." : ""));
    }

    private static double StepFor(DType dtype, GradientCheckOptions options) =>
        options.Step ?? (dtype == DType.Float64 ? Float64Step : Float32Step);

    private static double ToleranceFor(DType dtype, GradientCheckOptions options) =>
        options.RelativeTolerance ?? (dtype == DType.Float64 ? Float64Tolerance : Float32Tolerance);

    /// <summary>The unit roundoff of a floating dtype: half the distance from 1 to the next value.</summary>
    private static double UnitRoundoff(DType dtype) => dtype == DType.Float64 ? Math.Pow(2, -53) : Math.Pow(2, -24);

    /// <summary>The flat indices to perturb: all of them, or a seeded sample of <paramref name="max"/>, in order.</summary>
    private static int[] Sample(int size, int max, int seed)
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

    /// <summary>A central difference and how far it may be from the derivative.</summary>
    private readonly record struct Estimate(double Value, double Uncertainty);

    /// <summary>
    /// Central differences of the loss along one element of a tensor the loss reads, from its values at x, x ± h
    /// and x ± 2h, with an uncertainty measured from the same five values (see the remarks on <see cref="GradientCheck"/>).
    /// </summary>
    /// <param name="work">The tensor to perturb (on the host); every element is back at its value between probes.</param>
    /// <param name="apply">Makes the session see <paramref name="work"/> after a change.</param>
    /// <param name="atX">The loss at the unperturbed values.</param>
    /// <param name="lossDType">The loss's dtype: with the perturbed tensor's, the coarser of the two sets the rounding allowed for.</param>
    private sealed class Prober(Tensor work, Action apply, Func<double> loss, double step, double atX, DType lossDType)
    {
        private readonly double _roundoff = LossRoundings * Math.Max(UnitRoundoff(work.DType), UnitRoundoff(lossDType));

        public Estimate Derivative(int k)
        {
            double x = work.GetDouble(k);
            double h = step * Math.Max(1, Math.Abs(x));
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
    }

    private static VariableCheck Compare(string name, Shape shape, DType dtype, Tensor symbolic, int[] indices, Prober probe, double rtol)
    {
        symbolic = symbolic.ToHost();
        double maxAbs = 0, maxRel = 0, worstRatio = -1;
        int worst = -1, disagreements = 0;
        double worstSymbolic = 0, worstNumerical = 0, worstAllowed = 0;
        foreach (int k in indices)
        {
            double s = symbolic.GetDouble(k);
            var (n, uncertainty) = probe.Derivative(k);
            double error = Math.Abs(s - n), scale = Math.Max(Math.Abs(s), Math.Abs(n));
            double allowed = rtol * scale + uncertainty;
            // How far outside (above 1) or inside what is allowed the element lies; the report shows the largest.
            double ratio = double.IsNaN(error) ? double.PositiveInfinity : allowed > 0 ? error / allowed : error > 0 ? double.PositiveInfinity : 0;
            if (!(ratio <= 1)) disagreements++;   // NaN never agrees
            maxAbs = Math.Max(maxAbs, double.IsNaN(error) ? double.PositiveInfinity : error);
            maxRel = Math.Max(maxRel, double.IsNaN(error) ? double.PositiveInfinity : scale > 0 ? error / scale : 0);
            if (ratio > worstRatio) (worstRatio, worst, worstSymbolic, worstNumerical, worstAllowed) = (ratio, k, s, n, allowed);
        }
        return new VariableCheck(name, shape, dtype, indices.Length, maxAbs, maxRel, disagreements,
            worst >= 0 ? Unflatten(worst, shape) : [], worstSymbolic, worstNumerical, worstAllowed);
    }

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

    /// <summary>Where the gradient first goes wrong: the value whose gradient disagrees, nearest the loss, and the ops that read it.</summary>
    private sealed record Localization(Output Disagreeing, IReadOnlyList<Node> Suspects);

    /// <summary>
    /// The gradient with respect to a value depends only on the ops between that value and the loss. Walking
    /// back from the loss, the first value whose gradient disagrees is therefore read by an op whose own
    /// gradient is wrong: the gradients of everything that op outputs still agreed.
    /// </summary>
    private static Localization Localize(Session session, Output loss, FeedDict feeds, Output variable, GradientCheckOptions options)
    {
        var graph = session.Graph;
        var onPath = graph.NodesBetween([variable.Node], [loss.Node]);
        var readers = new Dictionary<Output, List<Node>>();
        foreach (var node in onPath.OrderBy(n => n.Id))
            foreach (var input in node.Inputs)
            {
                if (!onPath.Contains(input.Node)) continue;
                if (!readers.TryGetValue(input, out var list)) readers[input] = list = [];
                if (!list.Contains(node)) list.Add(node);
            }
        var values = readers.Keys
            .Where(o => o.Node != variable.Node && o.DType.IsFloating())
            .OrderByDescending(o => o.Node.Id).ThenByDescending(o => o.Index).ToList();
        if (values.Count == 0) return new Localization(variable, readers[variable]);

        Output?[] gradients;
        using (graph.PushScope("gradient_check")) gradients = graph.Gradients([loss], values);
        var forward = session.Run(values.Select(v => (Fetch)v).ToArray(), feeds);
        for (int i = 0; i < values.Count; i++)
        {
            var work = forward[i].ToHost().Clone();
            var fed = new FeedDict();
            foreach (var (key, value) in feeds) fed[key] = value;
            fed[values[i]] = work;
            // Fed values are read afresh by every run, so changing the fed tensor in place is enough.
            var evaluate = LossFunction(session, loss, fed);
            var probe = new Prober(work, () => { }, evaluate, StepFor(work.DType, options), evaluate(), loss.DType);
            var symbolic = gradients[i] is { } g ? session.Run(g, fed) : Tensor.Filled(work.Shape, work.DType, 0);
            var indices = Sample(work.Size, LocalizationSample, options.Seed + i);
            var check = Compare(values[i].Name, work.Shape, work.DType, symbolic, indices, probe, ToleranceFor(work.DType, options));
            if (!check.Passed) return new Localization(values[i], readers[values[i]]);
        }
        return new Localization(variable, readers[variable]);
    }

    /// <summary>How many elements of each value on the path are perturbed while localising.</summary>
    private const int LocalizationSample = 64;

    private static string Describe(GradientCheckReport report, VariableCheck failed, Output variable, Output loss, Localization? where)
    {
        var text = new StringBuilder();
        text.Append($"Gradient check of '{loss.Name}' failed for variable '{failed.Variable}' ({failed.DType} {failed.Shape}): ");
        text.Append($"at [{string.Join(", ", failed.WorstIndex)}] the symbolic gradient is {Format(failed.Symbolic)} but central differences give ");
        text.Append($"{Format(failed.Numerical)} (error {Format(Math.Abs(failed.Symbolic - failed.Numerical))}, allowed {Format(failed.Allowed)}); ");
        text.Append($"{failed.Disagreements} of {failed.ElementsChecked} elements disagree.");
        if (where is null)
        {
            text.Append($" The values between '{failed.Variable}' and '{loss.Name}' could not be checked one by one to find the op at fault.");
        }
        else
        {
            string ops = string.Join(", ", where.Suspects.Select(n => n.ToString()));
            string reads = where.Disagreeing == variable ? $"'{failed.Variable}'" : $"'{where.Disagreeing.Name}'";
            text.Append(where.Suspects.Count == 1
                ? $" The gradient first goes wrong in {ops}: the gradient with respect to its output agrees with central differences, the gradient with respect to its input {reads} does not."
                : $" The gradient first goes wrong in one of {ops}, which all read {reads}: the gradients with respect to their outputs agree with central differences, the gradient with respect to {reads} does not.");
        }
        int others = report.Variables.Count(v => !v.Passed) - 1;
        if (others > 0) text.Append($" {others} more variable{(others == 1 ? "" : "s")} disagree{(others == 1 ? "s" : "")}: {string.Join(", ", report.Variables.Where(v => !v.Passed).Skip(1).Select(v => $"'{v.Variable}'"))}.");
        return text.ToString();
    }

    internal static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>What <see cref="GradientCheck"/> checks and how; each default depends on the variable's dtype (see its remarks).</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The variables to check; by default every floating trainable variable the loss's gradient reaches.</summary>
    public IReadOnlyList<Output>? Variables { get; init; }

    /// <summary>The step h relative to the element's size: x moves to x ± h·max(1, |x|) and x ± 2h·max(1, |x|).</summary>
    public double? Step { get; init; }

    /// <summary>How far the symbolic gradient may be off relative to its size, beyond the measured uncertainty.</summary>
    public double? RelativeTolerance { get; init; }

    /// <summary>At most this many elements of each variable are perturbed, a sample drawn with <see cref="Seed"/>; all by default.</summary>
    public int MaxElementsPerVariable { get; init; } = int.MaxValue;

    /// <summary>Seeds the sampling of elements.</summary>
    public int Seed { get; init; }
}

/// <summary>How the symbolic and numerical gradients of one variable compare.</summary>
/// <param name="Variable">The variable's name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="DType">Its dtype, which sets the step and tolerances.</param>
/// <param name="ElementsChecked">How many of its elements were perturbed.</param>
/// <param name="MaxAbsError">The largest |symbolic − numerical| over those elements.</param>
/// <param name="MaxRelError">The largest |symbolic − numerical| / max(|symbolic|, |numerical|).</param>
/// <param name="Disagreements">How many elements differ by more than they are allowed to.</param>
/// <param name="WorstIndex">The element furthest outside (or least inside) what it is allowed, as an index per axis.</param>
/// <param name="Symbolic">The symbolic gradient there.</param>
/// <param name="Numerical">The central difference there.</param>
/// <param name="Allowed">How far the two were allowed to differ there.</param>
public sealed record VariableCheck(string Variable, Shape Shape, DType DType, int ElementsChecked, double MaxAbsError, double MaxRelError,
                                   int Disagreements, int[] WorstIndex, double Symbolic, double Numerical, double Allowed)
{
    /// <summary>Whether every element checked agrees.</summary>
    public bool Passed => Disagreements == 0;
}

/// <summary>The result of <see cref="GradientCheck.CheckGradients"/>: one line per variable.</summary>
public sealed class GradientCheckReport(string loss, double lossValue, IReadOnlyList<VariableCheck> variables)
{
    /// <summary>The loss's name.</summary>
    public string Loss { get; } = loss;

    /// <summary>The loss (summed) at the variables' values.</summary>
    public double LossValue { get; } = lossValue;

    public IReadOnlyList<VariableCheck> Variables { get; } = variables;

    /// <summary>Whether every variable's gradient agrees.</summary>
    public bool Passed => Variables.All(v => v.Passed);

    /// <summary>The check of the variable of that name.</summary>
    public VariableCheck this[string variable] => Variables.FirstOrDefault(v => v.Variable == variable)
        ?? throw new KeyNotFoundException($"No variable named '{variable}' was checked; the report has {string.Join(", ", Variables.Select(v => $"'{v.Variable}'"))}.");

    public override string ToString()
    {
        var text = new StringBuilder($"Gradient check of '{Loss}' = {GradientCheck.Format(LossValue)}: {(Passed ? "all gradients agree" : "GRADIENTS DISAGREE")}\n");
        int width = Math.Max(8, Variables.Max(v => v.Variable.Length));
        text.Append($"  {"variable".PadRight(width)}  {"elements",8}  {"max abs error",13}  {"max rel error",13}  result\n");
        foreach (var v in Variables)
            text.Append($"  {v.Variable.PadRight(width)}  {v.ElementsChecked,8}  {GradientCheck.Format(v.MaxAbsError),13}  {GradientCheck.Format(v.MaxRelError),13}  " +
                        (v.Passed ? "ok" : $"{v.Disagreements} disagree, worst at [{string.Join(", ", v.WorstIndex)}]") + "\n");
        return text.ToString();
    }
}

/// <summary>A symbolic gradient disagrees with central differences; the message names the variable and, where it could be found, the op at fault.</summary>
public sealed class GradientCheckException(string message, GradientCheckReport report, VariableCheck variable, IReadOnlyList<Node> suspects)
    : InvalidOperationException(message)
{
    /// <summary>The full report, every variable included.</summary>
    public GradientCheckReport Report { get; } = report;

    /// <summary>The first variable whose gradient disagrees.</summary>
    public VariableCheck Variable { get; } = variable;

    /// <summary>The op whose gradient goes wrong (several when more than one reads the value whose gradient first disagrees); empty when not found.</summary>
    public IReadOnlyList<Node> Suspects { get; } = suspects;
}
