using System.Text;

namespace GraphDL;

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

    /// <summary>One check per trainable variable, in the order the graph made them.</summary>
    public IReadOnlyList<VariableCheck> Variables { get; } = variables;

    /// <summary>Whether every variable's gradient agrees.</summary>
    public bool Passed => Variables.All(v => v.Passed);

    /// <summary>The check of the variable of that name.</summary>
    public VariableCheck this[string variable] => Variables.FirstOrDefault(v => v.Variable == variable)
        ?? throw new KeyNotFoundException($"No variable named '{variable}' was checked; the report has {string.Join(", ", Variables.Select(v => $"'{v.Variable}'"))}.");

    /// <summary>A table of every variable's elements checked, worst absolute and relative error, and verdict.</summary>
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
