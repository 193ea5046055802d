using System.Globalization;

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

        var mark = graph.Mark();
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
            var evaluate = GradientProbe.LossOf(session, loss, feeds);
            double lossValue = evaluate();
            RequireDeterministic(graph, loss, lossValue, evaluate());

            var checks = new List<VariableCheck>();
            for (int r = 0; r < reached.Length; r++)
            {
                var variable = variables[reached[r]];
                var original = session.GetValue(variable);
                originals.Add((variable, original));
                var work = original.ToHost().Clone();
                var probe = new GradientProbe(work, () => session.SetValue(variable, work), evaluate, lossValue, loss.DType, options);
                var indices = GradientProbe.Sample(work.Size, options.MaxElementsPerVariable, options.Seed + r);
                checks.Add(probe.Compare(variable.Name, symbolic[r], indices));
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

        var variable = session.Graph.FindNode(failed.Variable)!.Output;
        var fault = FaultLocator.Locate(session, loss, feeds ?? [], variable, options ?? new GradientCheckOptions());
        throw new GradientCheckException(FaultLocator.Describe(report, failed, variable, loss, fault), report, failed, fault?.Suspects ?? []);
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
