namespace GraphDL;

/// <summary>
/// A window slid over the height and width of an NHWC tensor, each channel on its own: what MaxPool, AvgPool
/// and their gradient ops share. Padded cells are not part of any window's result.
/// </summary>
public abstract class PoolingOp : Op
{
    /// <summary>The window's height in rows (2 by default).</summary>
    public int WindowHeight { get; init; } = 2;

    /// <summary>The window's width in columns (2 by default).</summary>
    public int WindowWidth { get; init; } = 2;

    /// <summary>How many rows the window moves between outputs (2 by default, so windows do not overlap).</summary>
    public int StrideHeight { get; init; } = 2;

    /// <summary>How many columns the window moves between outputs (2 by default).</summary>
    public int StrideWidth { get; init; } = 2;

    /// <summary>How the window treats the border (<see cref="Padding.Valid"/> by default); padded cells are never part of a result.</summary>
    public Padding Padding { get; init; } = Padding.Valid;

    /// <inheritdoc/>
    public override string Attributes =>
        $"window=({WindowHeight}, {WindowWidth}), strides=({StrideHeight}, {StrideWidth}), padding={Padding}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <summary>The pooled shape (N, OH, OW, C) of an input (N, H, W, C).</summary>
    protected Shape OutputShape(Shape x)
    {
        Window2D.RequireNhwc(x, "input");
        // A window made only of padding would have no maximum and nothing to average.
        if (Padding.Kind == PaddingKind.Explicit &&
            (Math.Max(Padding.Top, Padding.Bottom) >= WindowHeight || Math.Max(Padding.Left, Padding.Right) >= WindowWidth))
            throw new ShapeException($"Pooling padding {Padding} must be smaller than the {WindowHeight}x{WindowWidth} window.");
        var (_, outHeight, outWidth) = Window2D.Over(x, WindowHeight, WindowWidth, StrideHeight, StrideWidth, Padding, "pooling window");
        return new Shape(x[0], outHeight, outWidth, x[3]);
    }

    /// <summary>Checks that <paramref name="pooled"/> has the shape pooling <paramref name="x"/> gives.</summary>
    protected void RequirePooledShape(Shape pooled, Shape x, string role)
    {
        var expected = OutputShape(x);
        if (!expected.IsCompatibleWith(pooled))
            throw new ShapeException($"{role} {pooled} does not match the pooled shape {expected} of {x}.");
    }

    /// <summary>The window over an input of run-time shape <paramref name="x"/>.</summary>
    protected Window2D WindowOver(Shape x) =>
        Window2D.Over(x, WindowHeight, WindowWidth, StrideHeight, StrideWidth, Padding, "pooling window").Window;

    /// <summary>A new op of type <typeparamref name="T"/> with this op's window, strides and padding, for the gradients.</summary>
    protected T Alike<T>() where T : PoolingOp, new() => Create<T>((WindowHeight, WindowWidth), (StrideHeight, StrideWidth), Padding);

    internal static T Create<T>((int Height, int Width) window, (int Height, int Width) strides, Padding? padding) where T : PoolingOp, new() =>
        new()
        {
            WindowHeight = window.Height, WindowWidth = window.Width,
            StrideHeight = strides.Height, StrideWidth = strides.Width,
            Padding = padding ?? Padding.Valid,
        };
}
