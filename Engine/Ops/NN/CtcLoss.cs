using GraphDL.Backends.Cpu;

namespace GraphDL;

/// <summary>
/// The Connectionist Temporal Classification loss (Graves et al., 2006), TF1's tf.nn.ctc_loss: the negative log
/// probability of each example's label sequence, summed over every alignment of it to the frames (blanks and
/// repeats in between), for sequence tasks whose frames are not segmented, such as speech or handwriting.
/// </summary>
/// <remarks>
/// Inputs: logits [maxTime, batch, classes] (or [batch, maxTime, classes] when not <see cref="TimeMajor"/>),
/// unnormalised (the op takes their softmax); labels Int32 [batch, maxLabelLength], each row padded past its length
/// (the engine has no SparseTensor, so this is TF2's dense-label form of tf.nn.ctc_loss, labels with label_length);
/// labelLength and logitLength Int32 [batch]. Outputs: the loss [batch] and, as TF1's CTCLoss op, the gradient of
/// each example's loss with respect to the logits, softmax - posterior, in the logits' shape and zero past each
/// example's logitLength. Like TF1's, the op runs on the host (TF1 has no GPU kernel for it), and its gradient has no
/// gradient of its own: asking for a second derivative through it is an error.
/// </remarks>
public sealed class CtcLoss : Op
{
    /// <summary>The blank's class id; a negative one counts from the number of classes, so -1 (the default) is classes - 1, TF1's blank.</summary>
    public int BlankIndex { get; init; } = -1;

    /// <summary>True (the default, as TF1) for logits [maxTime, batch, classes]; false for [batch, maxTime, classes].</summary>
    public bool TimeMajor { get; init; } = true;

    /// <summary>True (the default): a label in consecutive frames is one emission, classic CTC; false: each frame of a label is one emission.</summary>
    public bool CtcMergeRepeated { get; init; } = true;

    /// <summary>True: repeated labels in a target are merged before the loss (for targets from forced alignments).</summary>
    public bool PreprocessCollapseRepeated { get; init; }

    /// <summary>True: an example whose target cannot fit in its frames gets loss 0 and gradient 0 instead of an error.</summary>
    public bool IgnoreLongerOutputsThanInputs { get; init; }

    /// <summary>TF1's CTCLoss has a CPU kernel only; a session on a GPU runs this op on the host between copies.</summary>
    public override bool RunsOnHost => true;

    /// <inheritdoc/>
    public override string Attributes =>
        $"blankIndex={BlankIndex}{(TimeMajor ? "" : ", batchMajor")}{(CtcMergeRepeated ? "" : ", noMergeRepeated")}" +
        $"{(PreprocessCollapseRepeated ? ", collapseRepeated" : "")}{(IgnoreLongerOutputsThanInputs ? ", ignoreLonger" : "")}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        if (!x[0].IsFloating()) throw new ArgumentException($"logits must be Float32 or Float64, got {x[0]}.");
        string[] names = ["labels", "labelLength", "logitLength"];
        for (int i = 1; i < 4; i++)
            if (x[i] != DType.Int32) throw new ArgumentException($"{names[i - 1]} must be Int32, got {x[i]}.");
        return [x[0], x[0]];
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        Shape logits = x[0], labels = x[1], labelLength = x[2], logitLength = x[3];
        string layout = TimeMajor ? "[maxTime, batch, classes]" : "[batch, maxTime, classes]";
        if (logits.Rank != 3) throw new ShapeException($"logits must be {layout}, got {logits}.");
        int batch = logits[TimeMajor ? 1 : 0], classes = logits[2];
        if (labels.Rank != 2) throw new ShapeException($"labels must be [batch, maxLabelLength], got {labels}.");
        foreach (var (name, shape) in new[] { ("labels", new Shape(labels[0])), ("labelLength", labelLength), ("logitLength", logitLength) })
        {
            if (shape.Rank != 1) throw new ShapeException($"{name} must be [batch], got {shape}.");
            if (batch != Shape.Unknown && shape[0] != Shape.Unknown && shape[0] != batch)
                throw new ShapeException($"{name} has {shape[0]} examples, but logits {logits} have {batch} (layout {layout}).");
            if (batch == Shape.Unknown) batch = shape[0];
        }
        if (classes != Shape.Unknown) Blank(classes);
        return [new Shape(batch), logits];
    }

    /// <summary>The blank's class id in [0, classes): <see cref="BlankIndex"/>, counted from the end when negative.</summary>
    /// <exception cref="ShapeException">The blank is not one of the classes.</exception>
    public int Blank(int classes)
    {
        int blank = BlankIndex < 0 ? classes + BlankIndex : BlankIndex;
        return blank >= 0 && blank < classes ? blank
            : throw new ShapeException($"blankIndex {BlankIndex} is not a class id of logits with {classes} classes.");
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        CtcForwardBackward.Compute(x[0], x[1], x[2], x[3], y[0], y[1],
            new(Blank(x[0].Shape[2]), TimeMajor, CtcMergeRepeated, PreprocessCollapseRepeated, IgnoreLongerOutputsThanInputs));

    /// <summary>
    /// dlogits = dout[b] · (softmax - posterior), each example's gradient output scaled by its dout (TF1's
    /// _CTCLossGrad); the labels and lengths get none. The gradient output itself has no gradient, as in TF1.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, IReadOnlyList<Output?> douts)
    {
        if (douts[1] is not null)
            throw new InvalidOperationException(
                $"No second derivative of CtcLoss '{g.Node.Name}': its gradient is computed inside the op by the forward-backward " +
                "algorithm and is not itself differentiable (as in TF1's ctc_loss).");
        if (douts[0] is not { } dout) return [null, null, null, null];
        var perExample = TimeMajor ? g.ExpandDims(g.ExpandDims(dout, 0), -1) : g.ExpandDims(g.ExpandDims(dout, -1), -1);
        return [perExample * g.Output(1), null, null, null];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// The CTC loss per example (tf.nn.ctc_loss of TF1, with TF2's dense labels): the negative log probability of
    /// <paramref name="labels"/> (Int32 [batch, maxLabelLength], padded past <paramref name="labelLength"/>) given
    /// unnormalised <paramref name="logits"/> ([maxTime, batch, classes], or [batch, maxTime, classes] when not
    /// <paramref name="timeMajor"/>) of which each example uses its first <paramref name="logitLength"/> frames.
    /// </summary>
    /// <param name="labels">Int32 class ids [batch, maxLabelLength]; none may be the blank.</param>
    /// <param name="logits">Unnormalised scores over the classes, blank included.</param>
    /// <param name="labelLength">Int32 [batch]: how many of each row's labels count.</param>
    /// <param name="logitLength">Int32 [batch]: how many frames each example has (TF1's sequence_length).</param>
    /// <param name="blankIndex">The blank's class id; negative counts from the number of classes, so -1 is classes - 1 as in TF1.</param>
    /// <param name="timeMajor">True for logits [maxTime, batch, classes] (TF1's default), false for [batch, maxTime, classes].</param>
    /// <param name="ctcMergeRepeated">False: repeated labels in consecutive frames are not merged (TF1's simplified CTC).</param>
    /// <param name="preprocessCollapseRepeated">True: repeated labels in the targets are merged before the loss.</param>
    /// <param name="ignoreLongerOutputsThanInputs">True: a target that cannot fit in its frames (counting a blank between repeated labels) gives loss 0 and gradient 0 instead of an error.</param>
    /// <param name="name">The node's name.</param>
    /// <returns>The loss [batch]; its gradient with respect to the logits is defined, a second derivative is not.</returns>
    public Output CtcLoss(Output labels, Output logits, Output labelLength, Output logitLength, int blankIndex = -1,
                          bool timeMajor = true, bool ctcMergeRepeated = true, bool preprocessCollapseRepeated = false,
                          bool ignoreLongerOutputsThanInputs = false, string? name = null) =>
        AddNode(new CtcLoss
        {
            BlankIndex = blankIndex,
            TimeMajor = timeMajor,
            CtcMergeRepeated = ctcMergeRepeated,
            PreprocessCollapseRepeated = preprocessCollapseRepeated,
            IgnoreLongerOutputsThanInputs = ignoreLongerOutputsThanInputs,
        }, [logits, labels, labelLength, logitLength], name)[0];
}
