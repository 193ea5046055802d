namespace GraphDL.Data;

/// <summary>One-hot labels, as the slides' <c>get_one_hot</c> and <c>np.eye(classes)[labels]</c> build them.</summary>
public static class OneHotEncoding
{
    /// <summary>A float32 tensor of shape (labels.Length, classes) with a 1 in each row's label column.</summary>
    public static Tensor Encode(ReadOnlySpan<int> labels, int classes)
    {
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "One-hot encoding needs at least one class.");
        var data = new float[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {label} at row {i} is outside the {classes} classes 0..{classes - 1}.");
            data[i * classes + label] = 1;
        }
        return Tensor.FromFlat(data, new Shape(labels.Length, classes));
    }

    /// <summary>The column of each row's largest value: the label a one-hot row or a probability row stands for.</summary>
    public static int[] Decode(Tensor rows)
    {
        if (rows.Rank != 2) throw new ShapeException($"One-hot decoding needs a matrix, got shape {rows.Shape}.");
        int n = rows.Shape[0], classes = rows.Shape[1];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bestValue = rows.GetDouble(i * classes);
            for (int c = 1; c < classes; c++)
            {
                double v = rows.GetDouble(i * classes + c);
                if (v > bestValue) (best, bestValue) = (c, v);
            }
            labels[i] = best;
        }
        return labels;
    }
}
