using System.Globalization;
using System.Text;

namespace GraphDL.Data;

/// <summary>One line of a <see cref="ClassificationReport"/>: a class's (or an average's) precision, recall, F1 score and support.</summary>
/// <param name="Name">The class's name, or "macro avg" / "weighted avg".</param>
/// <param name="Precision">Of the rows predicted as this class, the share that are (0 when none are predicted, as sklearn's zero_division default).</param>
/// <param name="Recall">Of the rows of this class, the share predicted as it (0 when there are none).</param>
/// <param name="F1">The harmonic mean of precision and recall (0 when both are 0).</param>
/// <param name="Support">How many rows truly are of this class (for an average, all rows).</param>
public sealed record ClassScores(string Name, double Precision, double Recall, double F1, int Support);

/// <summary>
/// sklearn's <c>sklearn.metrics.confusion_matrix</c> and <c>classification_report</c>: per-class precision,
/// recall, F1 and support, the accuracy, and the macro and weighted averages, printed by
/// <see cref="ToString"/> exactly as sklearn prints them.
/// </summary>
public sealed class ClassificationReport
{
    private readonly int _digits;

    private ClassificationReport(ClassScores[] classes, double accuracy, ClassScores macro, ClassScores weighted, int digits)
    {
        Classes = classes;
        Accuracy = accuracy;
        MacroAverage = macro;
        WeightedAverage = weighted;
        _digits = digits;
    }

    /// <summary>Each class's scores, in the order of the sorted labels.</summary>
    public IReadOnlyList<ClassScores> Classes { get; }

    /// <summary>The share of rows predicted right (sklearn's <c>accuracy_score</c>).</summary>
    public double Accuracy { get; }

    /// <summary>The plain mean of the classes' scores ("macro avg").</summary>
    public ClassScores MacroAverage { get; }

    /// <summary>The classes' scores weighted by their support ("weighted avg").</summary>
    public ClassScores WeightedAverage { get; }

    /// <summary>
    /// sklearn's <c>confusion_matrix(y_true, y_pred)</c>: entry [i, j] counts the rows of true class labels[i]
    /// predicted as labels[j], where labels are the values occurring in either, sorted (sklearn's <c>unique_labels</c>).
    /// </summary>
    public static int[,] ConfusionMatrix(IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred)
    {
        int[] labels = Labels(yTrue, yPred);
        var matrix = new int[labels.Length, labels.Length];
        for (int i = 0; i < yTrue.Count; i++)
            matrix[Array.BinarySearch(labels, yTrue[i]), Array.BinarySearch(labels, yPred[i])]++;
        return matrix;
    }

    /// <summary>
    /// sklearn's <c>classification_report(y_true, y_pred, target_names=..., digits=...)</c>. The classes are the
    /// labels occurring in either sequence, sorted; <paramref name="targetNames"/> names them in that order
    /// (their numbers when not given).
    /// </summary>
    public static ClassificationReport Compute(IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred, IReadOnlyList<string>? targetNames = null, int digits = 2)
    {
        if (digits < 0) throw new ArgumentOutOfRangeException(nameof(digits), digits, "digits cannot be negative.");
        int[] labels = Labels(yTrue, yPred);
        if (targetNames is not null && targetNames.Count != labels.Length)
            throw new ArgumentException($"Number of classes, {labels.Length}, does not match size of target_names, {targetNames.Count}.", nameof(targetNames));
        int[,] matrix = ConfusionMatrix(yTrue, yPred);
        int n = yTrue.Count;
        var classes = new ClassScores[labels.Length];
        for (int k = 0; k < labels.Length; k++)
        {
            int right = matrix[k, k];
            int support = Enumerable.Range(0, labels.Length).Sum(j => matrix[k, j]);
            int predicted = Enumerable.Range(0, labels.Length).Sum(i => matrix[i, k]);
            double precision = predicted == 0 ? 0 : (double)right / predicted;
            double recall = support == 0 ? 0 : (double)right / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes[k] = new ClassScores(targetNames?[k] ?? labels[k].ToString(CultureInfo.InvariantCulture), precision, recall, f1, support);
        }
        double accuracy = (double)Enumerable.Range(0, labels.Length).Sum(k => matrix[k, k]) / n;
        var macro = new ClassScores("macro avg", classes.Average(c => c.Precision), classes.Average(c => c.Recall), classes.Average(c => c.F1), n);
        var weighted = new ClassScores("weighted avg",
            classes.Sum(c => c.Precision * c.Support) / n, classes.Sum(c => c.Recall * c.Support) / n, classes.Sum(c => c.F1 * c.Support) / n, n);
        return new ClassificationReport(classes, accuracy, macro, weighted, digits);
    }

    /// <summary>The report as sklearn's <c>classification_report</c> returns it (a final line end included).</summary>
    public override string ToString()
    {
        int width = Math.Max(Math.Max(Classes.Max(c => c.Name.Length), "weighted avg".Length), _digits);
        string format = "F" + _digits.ToString(CultureInfo.InvariantCulture);
        string Number(double v) => v.ToString(format, CultureInfo.InvariantCulture).PadLeft(9);
        string Row(ClassScores s) => $"{s.Name.PadLeft(width)}  {Number(s.Precision)} {Number(s.Recall)} {Number(s.F1)} {s.Support.ToString(CultureInfo.InvariantCulture),9}\n";

        var report = new StringBuilder();
        report.Append(new string(' ', width)).Append(' ');
        foreach (string header in new[] { "precision", "recall", "f1-score", "support" }) report.Append(' ').Append(header.PadLeft(9));
        report.Append("\n\n");
        foreach (var c in Classes) report.Append(Row(c));
        report.Append('\n');
        report.Append($"{"accuracy".PadLeft(width)}  {"",9} {"",9} {Number(Accuracy)} {MacroAverage.Support.ToString(CultureInfo.InvariantCulture),9}\n");
        report.Append(Row(MacroAverage));
        report.Append(Row(WeightedAverage));
        return report.ToString();
    }

    private static int[] Labels(IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred)
    {
        if (yTrue.Count != yPred.Count)
            throw new ArgumentException($"y_true and y_pred have different lengths: {yTrue.Count} and {yPred.Count}.", nameof(yPred));
        if (yTrue.Count == 0) throw new ArgumentException("y_true and y_pred are empty; there is nothing to score.", nameof(yTrue));
        return [.. yTrue.Concat(yPred).Distinct().Order()];
    }
}
