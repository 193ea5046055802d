using System.Globalization;
using System.Text;

namespace GraphDL.Keras;

/// <summary>
/// Keras's <c>model.summary()</c> table, laid out as tf.keras prints it: 65 characters wide, columns ending at 29,
/// 55 and 65, a name wrapped onto more lines where it does not fit, a blank line after each layer, and the totals
/// with thousands separators.
/// </summary>
internal static class SummaryTable
{
    private const int LineLength = 65;
    private static readonly int[] Positions = [29, 55, 65];   // 0.45, 0.85 and 1.0 of the line
    private static readonly string[] ListEnds = ["),", "},", "],", "',"];

    public static string Format(string modelName, IEnumerable<(string Layer, string OutputShape, long Params)> rows, long trainable, long nonTrainable)
    {
        var sb = new StringBuilder();
        sb.Append("Model: \"").Append(modelName).Append("\"\n");
        sb.Append('_', LineLength).Append('\n');
        AppendRow(sb, ["Layer (type)", "Output Shape", "Param #"]);
        sb.Append('=', LineLength).Append('\n');
        foreach (var (layer, shape, count) in rows)
        {
            AppendRow(sb, [layer, shape, count.ToString(CultureInfo.InvariantCulture)]);
            sb.Append(' ', LineLength).Append('\n');
        }
        sb.Append('=', LineLength).Append('\n');
        sb.Append("Total params: ").Append(Thousands(trainable + nonTrainable)).Append('\n');
        sb.Append("Trainable params: ").Append(Thousands(trainable)).Append('\n');
        sb.Append("Non-trainable params: ").Append(Thousands(nonTrainable)).Append('\n');
        sb.Append('_', LineLength).Append('\n');
        return sb.ToString();
    }

    private static string Thousands(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// One row, over as many lines as its longest field needs: each field is cut to its column (less two spaces of
    /// gap), preferring a cut just after the end of a tuple or list ("),"), as Keras does.
    /// </summary>
    private static void AppendRow(StringBuilder sb, string[] fields)
    {
        var left = (string[])fields.Clone();
        while (left.Any(f => f.Length > 0))
        {
            var line = new StringBuilder();
            for (int col = 0; col < left.Length; col++)
            {
                int start = col > 0 ? Positions[col - 1] : 0;
                int space = col != Positions.Length - 1 ? 2 : 0;
                int cutoff = Math.Min(Positions[col] - start - space, left[col].Length);
                string fits = left[col][..cutoff];
                var breaks = ListEnds.Select(end => fits.IndexOf(end, StringComparison.Ordinal)).Where(i => i >= 0).ToArray();
                if (breaks.Length > 0)
                {
                    cutoff = breaks.Min() + 2;
                    fits = fits[..cutoff];
                }
                if (col == 0) line.Append(' ');
                line.Append(fits).Append(' ', space);
                left[col] = left[col][cutoff..];
                line.Append(' ', Math.Max(0, Positions[col] - line.Length));
            }
            sb.Append(line).Append('\n');
        }
    }
}
