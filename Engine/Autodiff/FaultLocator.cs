using System.Text;

namespace GraphDL;

/// <summary>
/// After a variable's gradient disagrees with central differences, finds the op whose gradient goes wrong by
/// checking the gradient with respect to each value on the path from that variable to the loss, fed with
/// perturbed copies. The gradient with respect to a value depends only on the ops between that value and the
/// loss. Walking back from the loss, the first value whose gradient disagrees is therefore read by an op whose
/// own gradient is wrong: the gradients of everything that op outputs still agreed.
/// </summary>
internal static class FaultLocator
{
    /// <summary>How many elements of each value on the path are perturbed while localising.</summary>
    private const int ValueSample = 64;

    /// <summary>Where the gradient first goes wrong: the value whose gradient disagrees, nearest the loss, and the ops that read it.</summary>
    public sealed record Fault(Output Disagreeing, IReadOnlyList<Node> Suspects);

    /// <summary>
    /// The fault on the path from <paramref name="variable"/> to <paramref name="loss"/>, or null when a value on
    /// it cannot be fed or differentiated. The gradient nodes built on the way are removed again.
    /// </summary>
    public static Fault? Locate(Session session, Output loss, FeedDict feeds, Output variable, GradientCheckOptions options)
    {
        var graph = session.Graph;
        var mark = graph.Mark();
        try
        {
            return WalkBackFromLoss(session, loss, feeds, variable, options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;   // a value on the path that cannot be fed: the variable alone is named
        }
        finally
        {
            graph.RollBack(mark);
        }
    }

    private static Fault WalkBackFromLoss(Session session, Output loss, FeedDict feeds, Output variable, GradientCheckOptions options)
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
        if (values.Count == 0) return new Fault(variable, readers[variable]);

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
            var evaluate = GradientProbe.LossOf(session, loss, fed);
            var probe = new GradientProbe(work, () => { }, evaluate, evaluate(), loss.DType, options);
            var symbolic = gradients[i] is { } g ? session.Run(g, fed) : Tensor.Filled(work.Shape, work.DType, 0);
            var indices = GradientProbe.Sample(work.Size, ValueSample, options.Seed + i);
            if (!probe.Compare(values[i].Name, symbolic, indices).Passed) return new Fault(values[i], readers[values[i]]);
        }
        return new Fault(variable, readers[variable]);
    }

    /// <summary>The message of a failed check: the variable's worst element, then the op at fault where it was found.</summary>
    public static string Describe(GradientCheckReport report, VariableCheck failed, Output variable, Output loss, Fault? fault)
    {
        var text = new StringBuilder();
        text.Append($"Gradient check of '{loss.Name}' failed for variable '{failed.Variable}' ({failed.DType} {failed.Shape}): ");
        text.Append($"at [{string.Join(", ", failed.WorstIndex)}] the symbolic gradient is {GradientCheck.Format(failed.Symbolic)} but central differences give ");
        text.Append($"{GradientCheck.Format(failed.Numerical)} (error {GradientCheck.Format(Math.Abs(failed.Symbolic - failed.Numerical))}, allowed {GradientCheck.Format(failed.Allowed)}); ");
        text.Append($"{failed.Disagreements} of {failed.ElementsChecked} elements disagree.");
        if (fault is null)
        {
            text.Append($" The values between '{failed.Variable}' and '{loss.Name}' could not be checked one by one to find the op at fault.");
        }
        else
        {
            string ops = string.Join(", ", fault.Suspects.Select(n => n.ToString()));
            string reads = fault.Disagreeing == variable ? $"'{failed.Variable}'" : $"'{fault.Disagreeing.Name}'";
            text.Append(fault.Suspects.Count == 1
                ? $" The gradient first goes wrong in {ops}: the gradient with respect to its output agrees with central differences, the gradient with respect to its input {reads} does not."
                : $" The gradient first goes wrong in one of {ops}, which all read {reads}: the gradients with respect to their outputs agree with central differences, the gradient with respect to {reads} does not.");
        }
        int others = report.Variables.Count(v => !v.Passed) - 1;
        if (others > 0) text.Append($" {others} more variable{(others == 1 ? "" : "s")} disagree{(others == 1 ? "s" : "")}: {string.Join(", ", report.Variables.Where(v => !v.Passed).Skip(1).Select(v => $"'{v.Variable}'"))}.");
        return text.ToString();
    }
}
