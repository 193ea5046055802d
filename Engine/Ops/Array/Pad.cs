namespace GraphDL;

/// <summary>What <see cref="Pad"/> puts in the cells it adds (TF's <c>mode</c> argument of <c>tf.pad</c>).</summary>
public enum PadMode
{
    /// <summary>TF's CONSTANT: one value everywhere; [1, 2, 3] padded by 2 on each side is [c, c, 1, 2, 3, c, c].</summary>
    Constant,

    /// <summary>TF's REFLECT: x mirrored without its edge; [1, 2, 3] by 2 is [3, 2, 1, 2, 3, 2, 1]. Each padding at most the dimension minus 1.</summary>
    Reflect,

    /// <summary>TF's SYMMETRIC: x mirrored with its edge; [1, 2, 3] by 2 is [2, 1, 1, 2, 3, 3, 2]. Each padding at most the dimension.</summary>
    Symmetric,
}

/// <summary>
/// y = x with <see cref="Paddings"/>[a, 0] cells added before and <see cref="Paddings"/>[a, 1] after it along each
/// axis a, filled as <see cref="Mode"/> says. Every cell of y reads one cell of x or the constant.
/// </summary>
public sealed class Pad : Op
{
    /// <summary>One row per axis of x: how many cells before and how many after; non-negative.</summary>
    public required int[,] Paddings { get; init; }

    /// <summary>What the added cells hold.</summary>
    public PadMode Mode { get; init; }

    /// <summary>The value of the added cells in <see cref="PadMode.Constant"/> mode.</summary>
    public double ConstantValue { get; init; }

    /// <inheritdoc/>
    public override string Attributes =>
        $"paddings={Format(Paddings)}, mode={Mode}" + (Mode == PadMode.Constant && ConstantValue != 0 ? $", value={ConstantValue}" : "");

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Padded(x[0], Paddings, Mode)];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Pad(x[0], Before(Paddings), Mode, ConstantValue, y[0]);

    /// <summary>
    /// dx[i] = the sum of dout over the cells of y that read x[i] (one <see cref="PadGrad"/> node): in Constant mode
    /// just the block of dout where x sits, since the constant cells read no x; when mirroring, also the mirror
    /// images of x[i]. The constant value is an offset, and gets no gradient.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.AddOp(new PadGrad { Paddings = Paddings, Mode = Mode }, [dout, g.Input(0)])];

    /// <summary>The padded shape of <paramref name="x"/>, after TF's checks: one (before, after) row per axis, none negative, mirrors no wider than x.</summary>
    internal static Shape Padded(Shape x, int[,] paddings, PadMode mode)
    {
        if (paddings.GetLength(0) != x.Rank || paddings.GetLength(1) != 2)
            throw new ShapeException($"Pad of a tensor of shape {x} needs paddings of shape ({x.Rank}, 2), one (before, after) row per axis, got ({paddings.GetLength(0)}, {paddings.GetLength(1)}).");
        var dims = new int[x.Rank];
        for (int a = 0; a < x.Rank; a++)
        {
            int before = paddings[a, 0], after = paddings[a, 1];
            if (before < 0 || after < 0)
                throw new ShapeException($"Pad of shape {x} needs non-negative paddings, got {Format(paddings)} (axis {a}).");
            // A single mirror image must cover the padding: REFLECT repeats no edge cell, so it has one fewer to give.
            int widest = mode switch { PadMode.Reflect => x[a] - 1, PadMode.Symmetric => x[a], _ => int.MaxValue };
            if (x[a] != Shape.Unknown && (before > widest || after > widest))
                throw new ShapeException($"Pad of shape {x} in {mode} mode takes paddings of at most {widest} along axis {a} (size {x[a]}{(mode == PadMode.Reflect ? " - 1" : "")}), got {Format(paddings)}.");
            dims[a] = x[a] == Shape.Unknown ? Shape.Unknown : x[a] + before + after;
        }
        return new Shape(dims);
    }

    internal static int[] Before(int[,] paddings) => Enumerable.Range(0, paddings.GetLength(0)).Select(a => paddings[a, 0]).ToArray();

    internal static string Format(int[,] paddings) =>
        "[" + string.Join(", ", Enumerable.Range(0, paddings.GetLength(0)).Select(a => $"[{paddings[a, 0]}, {paddings[a, 1]}]")) + "]";
}

/// <summary>
/// Pad's gradient: dx (the shape of x, the second input, whose values are not read) = the sum of dout over the
/// cells of the padded tensor that read each cell of x. Linear in dout, and the adjoint of padding with zeros:
/// its own gradient pads the incoming gradient again, with the constant 0.
/// </summary>
public sealed class PadGrad : Op
{
    /// <summary>The paddings of the <see cref="Pad"/> this is the gradient of.</summary>
    public required int[,] Paddings { get; init; }

    /// <summary>The mode of the <see cref="Pad"/> this is the gradient of.</summary>
    public PadMode Mode { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"paddings={Pad.Format(Paddings)}, mode={Mode}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating([x[0]]);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var padded = Pad.Padded(x[1], Paddings, Mode);
        if (!padded.IsCompatibleWith(x[0]))
            throw new ShapeException($"dout {x[0]} does not match {x[1]} padded by {Pad.Format(Paddings)}, {padded}.");
        return [x[1]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.PadGrad(x[0], Pad.Before(Paddings), Mode, y[0]);

    /// <summary>The incoming gradient padded as the forward pass pads, with zeros for Constant; the shape input gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.Pad(dout, Paddings, Mode), null];
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.pad</c>: <paramref name="tensor"/> with <c>paddings[a, 0]</c> cells before and <c>paddings[a, 1]</c>
    /// after each axis a, holding <paramref name="constantValues"/> (Constant), or x mirrored without its edge
    /// (Reflect, each padding below the dimension) or with it (Symmetric, each padding at most the dimension):
    /// <c>g.Pad(x, new[,] { { 0, 0 }, { 1, 1 }, { 2, 2 }, { 0, 0 } }, PadMode.Reflect)</c> pads an NHWC image by one row and two columns.
    /// </summary>
    /// <param name="tensor">The tensor to pad.</param>
    /// <param name="paddings">Shape (rank, 2): before and after for each axis; non-negative.</param>
    /// <param name="mode">Constant, Reflect or Symmetric.</param>
    /// <param name="constantValues">The value of the added cells in Constant mode; TF1 ignores one given with a mirror mode, this refuses it.</param>
    /// <param name="name">The name of the node; "Pad" when null.</param>
    public Output Pad(Output tensor, int[,] paddings, PadMode mode = PadMode.Constant, double constantValues = 0, string? name = null)
    {
        if (mode != PadMode.Constant && constantValues != 0)
            throw new ArgumentException($"Pad in {mode} mode takes no constant value, got {constantValues}.", nameof(constantValues));
        return AddOp(new Pad { Paddings = (int[,])paddings.Clone(), Mode = mode, ConstantValue = constantValues }, [tensor], name);
    }
}
