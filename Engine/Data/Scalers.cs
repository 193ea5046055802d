namespace GraphDL.Data;

/// <summary>
/// What sklearn's column scalers (<c>sklearn.preprocessing</c>) share: each column is mapped by
/// x·scale + offset, with the scale and offset learnt by <see cref="Fit"/> from the training rows only, so
/// that the test rows are mapped by figures they had no part in (no leakage).
/// </summary>
public abstract class ColumnScaler
{
    private double[]? _scale;
    private double[]? _offset;

    /// <summary>Whether <see cref="Fit"/> has run (sklearn's fitted estimator).</summary>
    public bool IsFitted => _scale is not null;

    /// <summary>The number of columns seen by <see cref="Fit"/> (sklearn's <c>n_features_in_</c>).</summary>
    public int ColumnCount => _scale?.Length ?? throw NotFitted("ColumnCount");

    /// <summary>The per-column factor <see cref="Transform"/> multiplies by (sklearn's <c>scale_</c> for MinMaxScaler, 1/<c>scale_</c> for StandardScaler).</summary>
    protected IReadOnlyList<double> Factor => _scale ?? throw NotFitted("Factor");

    /// <summary>sklearn's <c>fit(X)</c>: learns each column's figures from <paramref name="x"/>, a (rows, columns) matrix; returns this scaler.</summary>
    public ColumnScaler Fit(Tensor x)
    {
        var (rows, columns, values) = Matrix(x, "fit");
        if (rows == 0) throw new ShapeException($"{GetType().Name}.Fit needs at least one row; got shape {x.Shape}.");
        var (scale, offset) = Learn(rows, columns, values);
        (_scale, _offset) = (scale, offset);
        return this;
    }

    /// <summary>sklearn's <c>transform(X)</c>: maps each column with the figures <see cref="Fit"/> learnt; a float32 tensor of the same shape.</summary>
    public Tensor Transform(Tensor x)
    {
        var (scale, offset) = Fitted(x, "transform", out int rows, out int columns, out double[] values);
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[r * columns + c] = (float)(values[r * columns + c] * scale[c] + offset[c]);
        return Tensor.FromFlat(result, new Shape(rows, columns));
    }

    /// <summary>sklearn's <c>fit_transform(X)</c>: <see cref="Fit"/> then <see cref="Transform"/> on the same rows (the training part).</summary>
    public Tensor FitTransform(Tensor x) => Fit(x).Transform(x);

    /// <summary>sklearn's <c>inverse_transform(X)</c>: undoes <see cref="Transform"/>, giving values in the original units.</summary>
    public Tensor InverseTransform(Tensor x)
    {
        var (scale, offset) = Fitted(x, "inverse_transform", out int rows, out int columns, out double[] values);
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[r * columns + c] = (float)((values[r * columns + c] - offset[c]) / scale[c]);
        return Tensor.FromFlat(result, new Shape(rows, columns));
    }

    /// <summary>Each column's factor and offset, from the training values (row-major, rows × columns).</summary>
    private protected abstract (double[] Scale, double[] Offset) Learn(int rows, int columns, double[] values);

    /// <summary>sklearn's <c>_handle_zeros_in_scale</c>: a constant column gets a spread of 1, so it maps without a division by zero.</summary>
    private protected static double SpreadOrOne(double spread) => spread == 0 ? 1 : spread;

    private (double[] Scale, double[] Offset) Fitted(Tensor x, string method, out int rows, out int columns, out double[] values)
    {
        if (_scale is null || _offset is null) throw NotFitted(method);
        (rows, columns, values) = Matrix(x, method);
        if (columns != _scale.Length)
            throw new ShapeException($"{GetType().Name}.{method}: X has {columns} columns (shape {x.Shape}), but the scaler was fitted on {_scale.Length}.");
        return (_scale, _offset);
    }

    private (int Rows, int Columns, double[] Values) Matrix(Tensor x, string method)
    {
        if (x.Rank != 2) throw new ShapeException($"{GetType().Name}.{method} needs a (rows, columns) matrix; got shape {x.Shape}.");
        return (x.Shape[0], x.Shape[1], x.ToDoubles());
    }

    private InvalidOperationException NotFitted(string what) =>
        new($"This {GetType().Name} is not fitted yet: call Fit on the training rows before {what}.");
}

/// <summary>
/// sklearn's <c>sklearn.preprocessing.MinMaxScaler(feature_range=(min, max))</c>: each column's training
/// minimum maps to <c>min</c> and its maximum to <c>max</c>. Rows outside the training range map outside
/// the feature range, as sklearn's do (no clipping). A constant column maps to <c>min</c>.
/// </summary>
/// <param name="featureRange">sklearn's <c>feature_range</c>; (0, 1) when not given.</param>
public sealed class MinMaxScaler((double Min, double Max)? featureRange = null) : ColumnScaler
{
    /// <summary>sklearn's <c>feature_range</c>: where each column's training minimum and maximum land.</summary>
    public (double Min, double Max) FeatureRange { get; } = featureRange is { } r && !(r.Min < r.Max)
        ? throw new ArgumentException($"Minimum of desired feature range must be smaller than maximum; got ({r.Min}, {r.Max}).", nameof(featureRange))
        : featureRange ?? (0, 1);

    /// <summary>sklearn's <c>data_min_</c>: each column's smallest training value.</summary>
    public IReadOnlyList<double> DataMin { get; private set; } = [];

    /// <summary>sklearn's <c>data_max_</c>: each column's largest training value.</summary>
    public IReadOnlyList<double> DataMax { get; private set; } = [];

    /// <summary>sklearn's <c>scale_</c>: the per-column factor, (max − min) of the feature range over the column's training range.</summary>
    public IReadOnlyList<double> Scale => Factor;

    private protected override (double[] Scale, double[] Offset) Learn(int rows, int columns, double[] values)
    {
        var min = new double[columns];
        var max = new double[columns];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double v = values[r * columns + c];
                min[c] = Math.Min(min[c], v);
                max[c] = Math.Max(max[c], v);
            }
        var scale = new double[columns];
        var offset = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            scale[c] = (FeatureRange.Max - FeatureRange.Min) / SpreadOrOne(max[c] - min[c]);
            offset[c] = FeatureRange.Min - min[c] * scale[c];
        }
        (DataMin, DataMax) = (min, max);
        return (scale, offset);
    }
}

/// <summary>
/// sklearn's <c>sklearn.preprocessing.StandardScaler()</c>: each column minus its training mean, over its
/// training standard deviation (the population one, ddof = 0, as sklearn's). A constant column (σ = 0) maps to 0.
/// </summary>
public sealed class StandardScaler : ColumnScaler
{
    /// <summary>sklearn's <c>mean_</c>: each column's training mean.</summary>
    public IReadOnlyList<double> Mean { get; private set; } = [];

    /// <summary>sklearn's <c>var_</c>: each column's training variance (divided by the row count).</summary>
    public IReadOnlyList<double> Variance { get; private set; } = [];

    /// <summary>sklearn's <c>scale_</c>: each column's standard deviation, 1 where it is 0.</summary>
    public IReadOnlyList<double> Scale { get; private set; } = [];

    private protected override (double[] Scale, double[] Offset) Learn(int rows, int columns, double[] values)
    {
        var mean = new double[columns];
        var variance = new double[columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) mean[c] += values[r * columns + c];
        for (int c = 0; c < columns; c++) mean[c] /= rows;
        // Two passes (mean first, then squared deviations) so large offsets do not swamp the variance.
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double d = values[r * columns + c] - mean[c];
                variance[c] += d * d;
            }
        var deviation = new double[columns];
        var factor = new double[columns];
        var offset = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            variance[c] /= rows;
            deviation[c] = SpreadOrOne(Math.Sqrt(variance[c]));
            factor[c] = 1 / deviation[c];
            offset[c] = -mean[c] * factor[c];
        }
        (Mean, Variance, Scale) = (mean, variance, deviation);
        return (factor, offset);
    }
}
