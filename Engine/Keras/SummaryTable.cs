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
    // The functional table: 98 wide, columns at 0.33, 0.55, 0.67 and 1.0 of the line.
    private const int WideLineLength = 98;
    private static readonly int[] WidePositions = [32, 53, 65, 98];
    private static readonly string[] ListEnds = ["),", "},", "],", "',"];

    public static string Format(string modelName, IEnumerable<(string Layer, string OutputShape, long Params)> rows, long trainable, long nonTrainable) =>
        Format(modelName, ["Layer (type)", "Output Shape", "Param #"],
            rows.Select(r => new[] { r.Layer, r.OutputShape, r.Params.ToString(CultureInfo.InvariantCulture) }), trainable, nonTrainable, LineLength, Positions);

    /// <summary>The table of a functional model that is not a plain chain: a fourth column lists each layer's inputs.</summary>
    public static string FormatWithConnections(string modelName, IEnumerable<(string Layer, string OutputShape, long Params, string ConnectedTo)> rows, long trainable, long nonTrainable) =>
        Format(modelName, ["Layer (type)", "Output Shape", "Param #", "Connected to"],
            rows.Select(r => new[] { r.Layer, r.OutputShape, r.Params.ToString(CultureInfo.InvariantCulture), r.ConnectedTo }), trainable, nonTrainable, WideLineLength, WidePositions);

    private static string Format(string modelName, string[] header, IEnumerable<string[]> rows, long trainable, long nonTrainable, int lineLength, int[] positions)
    {
        var sb = new StringBuilder();
        sb.Append("Model: \"").Append(modelName).Append("\"\n");
        sb.Append('_', lineLength).Append('\n');
        AppendRow(sb, header, positions);
        sb.Append('=', lineLength).Append('\n');
        foreach (var row in rows)
        {
            AppendRow(sb, row, positions);
            sb.Append(' ', lineLength).Append('\n');
        }
        sb.Append('=', lineLength).Append('\n');
        sb.Append("Total params: ").Append(Thousands(trainable + nonTrainable)).Append('\n');
        sb.Append("Trainable params: ").Append(Thousands(trainable)).Append('\n');
        sb.Append("Non-trainable params: ").Append(Thousands(nonTrainable)).Append('\n');
        sb.Append('_', lineLength).Append('\n');
        return sb.ToString();
    }

    private static string Thousands(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// One row, over as many lines as its longest field needs: each field is cut to its column (less two spaces of
    /// gap), preferring a cut just after the end of a tuple or list ("),"), as Keras does.
    /// </summary>
    private static void AppendRow(StringBuilder sb, string[] fields, int[] positions)
    {
        var left = (string[])fields.Clone();
        while (left.Any(f => f.Length > 0))
        {
            var line = new StringBuilder();
            for (int col = 0; col < left.Length; col++)
            {
                int start = col > 0 ? positions[col - 1] : 0;
                int space = col != positions.Length - 1 ? 2 : 0;
                int cutoff = Math.Min(positions[col] - start - space, left[col].Length);
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
                line.Append(' ', Math.Max(0, positions[col] - line.Length));
            }
            sb.Append(line).Append('\n');
        }
    }
}
