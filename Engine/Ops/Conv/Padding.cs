namespace GraphDL;

/// <summary>How a sliding window (a convolution's filter, a pooling window) treats the border of its input.</summary>
public enum PaddingKind
{
    /// <summary>No padding: the window only goes where it fits, and a remainder the stride cannot reach is dropped.</summary>
    Valid,

    /// <summary>TF's SAME: output = ceil(input / stride), with zeros added evenly and the odd one at the end.</summary>
    Same,

    /// <summary>A given number of zeros before and after each axis.</summary>
    Explicit,
}

/// <summary>
/// The padding of a convolution or pooling: <see cref="Valid"/>, <see cref="Same"/> or
/// <see cref="Explicit(int, int, int, int)"/>. Pooling windows ignore padded cells (a max never picks them,
/// an average does not count them), as TF does.
/// </summary>
public sealed record Padding
{
    private Padding(PaddingKind kind, int top, int bottom, int left, int right)
    {
        Kind = kind;
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    /// <summary>VALID, SAME or explicit.</summary>
    public PaddingKind Kind { get; }

    /// <summary>Rows of zeros above the input (explicit padding only).</summary>
    public int Top { get; }

    /// <summary>Rows of zeros below the input (explicit padding only).</summary>
    public int Bottom { get; }

    /// <summary>Columns of zeros left of the input (explicit padding only).</summary>
    public int Left { get; }

    /// <summary>Columns of zeros right of the input (explicit padding only).</summary>
    public int Right { get; }

    /// <summary>TF's VALID: no padding; the window goes only where it fits.</summary>
    public static Padding Valid { get; } = new(PaddingKind.Valid, 0, 0, 0, 0);

    /// <summary>TF's SAME: an output of ceil(input / stride) rows and columns, with zeros split evenly and the odd one at the end.</summary>
    public static Padding Same { get; } = new(PaddingKind.Same, 0, 0, 0, 0);

    /// <summary>The slides' padding p: p rows or columns of zeros on every side.</summary>
    public static Padding Explicit(int all) => Explicit(all, all, all, all);

    /// <summary>Given numbers of zero rows and columns on each side; none may be negative.</summary>
    public static Padding Explicit(int top, int bottom, int left, int right)
    {
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentOutOfRangeException(nameof(top), $"Padding cannot be negative, got ({top}, {bottom}, {left}, {right}).");
        return new(PaddingKind.Explicit, top, bottom, left, right);
    }

    /// <summary>
    /// Along one axis: the output size and the zeros added before and after, for an input of size
    /// <paramref name="input"/> (-1 when unknown, which gives an unknown output), a window of
    /// <paramref name="window"/> and a stride. A window larger than the padded input gives an output size
    /// below 1, which the caller reports.
    /// </summary>
    public (int Output, int Before, int After) Resolve(int input, int window, int stride, bool vertical)
    {
        if (Kind == PaddingKind.Same)
        {
            if (input == Shape.Unknown) return (Shape.Unknown, 0, 0);
            int output = (input + stride - 1) / stride;
            int total = Math.Max((output - 1) * stride + window - input, 0);
            return (output, total / 2, total - total / 2);
        }
        int before = vertical ? Top : Left, after = vertical ? Bottom : Right;
        if (input == Shape.Unknown) return (Shape.Unknown, before, after);
        bool fits = input + before + after >= window;
        return (fits ? Conv2D.OutputSize(input, window, stride, before, after) : 0, before, after);
    }

    /// <summary>"VALID", "SAME", "explicit 1" or "explicit (top, bottom, left, right)", as in error messages and the graph picture.</summary>
    public override string ToString() => Kind switch
    {
        PaddingKind.Valid => "VALID",
        PaddingKind.Same => "SAME",
        _ => Top == Bottom && Top == Left && Top == Right ? $"explicit {Top}" : $"explicit ({Top}, {Bottom}, {Left}, {Right})",
    };
}

/// <summary>
/// Where a window sits over an NHWC input, for the backend: its size, its strides, and the zeros before the first
/// row and column. The input's and output's sizes come from the tensors themselves.
/// </summary>
public readonly record struct Window2D(int Height, int Width, int StrideHeight, int StrideWidth, int PadTop, int PadLeft)
{
    /// <summary>
    /// The window of size (<paramref name="height"/>, <paramref name="width"/>) over an input of shape
    /// <paramref name="x"/> (NHWC), and the output's height and width; throws a <see cref="ShapeException"/>
    /// when the window does not fit.
    /// </summary>
    internal static (Window2D Window, int OutHeight, int OutWidth) Over(
        Shape x, int height, int width, int strideHeight, int strideWidth, Padding padding, string what)
    {
        if (strideHeight < 1 || strideWidth < 1)
            throw new ShapeException($"Strides must be positive, got ({strideHeight}, {strideWidth}).");
        if (height < 1 || width < 1)
            throw new ShapeException($"The {what} must be at least 1x1, got {height}x{width}.");
        var (outHeight, top, _) = padding.Resolve(x[1], height, strideHeight, vertical: true);
        var (outWidth, left, _) = padding.Resolve(x[2], width, strideWidth, vertical: false);
        if ((x[1] != Shape.Unknown && outHeight < 1) || (x[2] != Shape.Unknown && outWidth < 1))
            throw new ShapeException(
                $"A {height}x{width} {what} does not fit an input of height {x[1]} and width {x[2]} with {padding} padding.");
        return (new Window2D(height, width, strideHeight, strideWidth, top, left), outHeight, outWidth);
    }

    internal static void RequireNhwc(Shape x, string role)
    {
        if (x.Rank != 4)
            throw new ShapeException($"The {role} must have rank 4 (batch, height, width, channels), got {x}.");
    }
}
