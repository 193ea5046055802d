using System.Numerics;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// The CTC loss and its gradient with respect to the logits by the forward-backward algorithm (Graves et al., 2006;
/// Graves's thesis, ch. 7), in log space so that long sequences do not underflow. The host computation behind
/// <see cref="CtcLoss"/>: TF1's CTCLoss op has a CPU kernel only, and so has this engine.
/// </summary>
/// <remarks>
/// For one example with label l of length L, the extended label l' puts a blank before every label and one at the
/// end (length U = 2L + 1). α(t, u) is the probability of the path prefixes that end in state u at time t (y_t
/// included); β(t, u) that of the suffixes that go on from state u at time t (y_t excluded), so α + β in log space
/// is the log of the probability of every path through (t, u). Sums over u are done in double whatever the dtype.
/// </remarks>
public static class CtcForwardBackward
{
    /// <summary>The attributes of one CTC computation (those of TF1's tf.nn.ctc_loss, with the blank made explicit).</summary>
    /// <param name="BlankIndex">The blank's class id, already resolved to [0, classes).</param>
    /// <param name="TimeMajor">True for logits [maxTime, batch, classes], false for [batch, maxTime, classes].</param>
    /// <param name="MergeRepeated">Whether a label repeated in consecutive frames is one emission (classic CTC).</param>
    /// <param name="CollapseRepeated">Whether repeated labels in the target are merged before the loss.</param>
    /// <param name="IgnoreLongerOutputsThanInputs">Whether a target that cannot fit in its frames gets loss 0 and gradient 0 instead of an error.</param>
    public readonly record struct Options(int BlankIndex, bool TimeMajor, bool MergeRepeated, bool CollapseRepeated, bool IgnoreLongerOutputsThanInputs);

    /// <summary>
    /// Writes the negative log-likelihood of each example's label into <paramref name="loss"/> [batch] and
    /// softmax(logits) - posterior into <paramref name="gradient"/> (the logits' shape; zero past each example's
    /// logit length). All tensors on the host.
    /// </summary>
    /// <exception cref="ArgumentException">A length out of range, a label id out of range or equal to the blank, or a label that does not fit in its frames; the message names the example.</exception>
    public static void Compute(Tensor logits, Tensor labels, Tensor labelLength, Tensor logitLength, Tensor loss, Tensor gradient, Options options)
    {
        switch (logits.DType)
        {
            case DType.Float32: Compute<float>(logits, labels, labelLength, logitLength, loss, gradient, options); break;
            case DType.Float64: Compute<double>(logits, labels, labelLength, logitLength, loss, gradient, options); break;
            default: throw new ArgumentException($"CTC loss is defined for Float32 and Float64 logits, not {logits.DType}.");
        }
    }

    private static void Compute<T>(Tensor logitsTensor, Tensor labelsTensor, Tensor labelLengthTensor, Tensor logitLengthTensor,
                                   Tensor lossTensor, Tensor gradientTensor, Options options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var logits = logitsTensor.ReadOnlySpan<T>();
        var labels = labelsTensor.ReadOnlySpan<int>();
        var labelLength = labelLengthTensor.ReadOnlySpan<int>();
        var logitLength = logitLengthTensor.ReadOnlySpan<int>();
        var loss = lossTensor.Span<T>();
        var gradient = gradientTensor.Span<T>();

        var shape = logitsTensor.Shape;
        int maxTime = options.TimeMajor ? shape[0] : shape[1], batch = options.TimeMajor ? shape[1] : shape[0], classes = shape[2];
        int maxLabelLength = labelsTensor.Shape[1];
        // Every example is checked before any is computed, so a bad batch fails without half-written outputs.
        var targets = new int[]?[batch];
        for (int b = 0; b < batch; b++)
            targets[b] = Target(b, labels.Slice(b * maxLabelLength, maxLabelLength), labelLength[b], logitLength[b], maxLabelLength, maxTime, classes, options);

        gradient.Clear();
        var logProbs = new double[maxTime * classes];
        for (int b = 0; b < batch; b++)
        {
            int time = logitLength[b];
            if (targets[b] is not { } target)
            {
                loss[b] = T.Zero;   // a label that cannot fit, ignored as TF1 does: no loss, no gradient
                continue;
            }
            int Offset(int t) => options.TimeMajor ? (t * batch + b) * classes : (b * maxTime + t) * classes;
            for (int t = 0; t < time; t++) LogSoftmax(logits.Slice(Offset(t), classes), logProbs.AsSpan(t * classes, classes));

            double logLikelihood = Example(logProbs, time, classes, target, options, out var posterior);
            loss[b] = T.CreateTruncating(-logLikelihood);
            for (int t = 0; t < time; t++)
            {
                var row = gradient.Slice(Offset(t), classes);
                for (int c = 0; c < classes; c++)
                {
                    // With no path at all (every alignment underflowed), TF1 gives softmax as the gradient: the posterior is 0.
                    double occupancy = double.IsNegativeInfinity(logLikelihood) ? 0 : Math.Exp(posterior[t * classes + c] - logLikelihood);
                    row[c] = T.CreateTruncating(Math.Exp(logProbs[t * classes + c]) - occupancy);
                }
            }
        }
    }

    /// <summary>
    /// Example <paramref name="b"/>'s target after the checks (and the optional collapse of repeats), or null when
    /// it cannot fit in its frames and such examples are ignored.
    /// </summary>
    private static int[]? Target(int b, ReadOnlySpan<int> row, int length, int time, int maxLabelLength, int maxTime, int classes, Options options)
    {
        if (length < 0 || length > maxLabelLength)
            throw new ArgumentException($"Example {b}: labelLength {length} is outside [0, {maxLabelLength}], the labels' padded length.");
        if (time < 0 || time > maxTime)
            throw new ArgumentException($"Example {b}: logitLength {time} is outside [0, {maxTime}], the logits' number of time steps.");
        var target = new List<int>(length);
        for (int i = 0; i < length; i++)
        {
            int label = row[i];
            if (label < 0 || label >= classes)
                throw new ArgumentException($"Example {b}: label {label} at position {i} is outside [0, {classes}), the class ids.");
            if (label == options.BlankIndex)
                throw new ArgumentException($"Example {b}: label {label} at position {i} is the blank (blankIndex {options.BlankIndex}), which a target may not contain.");
            if (!options.CollapseRepeated || target.Count == 0 || target[^1] != label) target.Add(label);
        }

        // Merged repeats need a blank between them to be told apart, one frame each; unmerged ones do not.
        int required = target.Count;
        if (options.MergeRepeated)
            for (int i = 1; i < target.Count; i++)
                if (target[i] == target[i - 1]) required++;
        if (required <= time) return [.. target];
        if (options.IgnoreLongerOutputsThanInputs) return null;
        throw new ArgumentException(
            $"Example {b}: not enough time for the target: its {target.Count} labels need {required} time steps " +
            $"(a blank between repeated labels included), but logitLength is {time}. " +
            "Pass ignoreLongerOutputsThanInputs: true to give such examples loss 0 and gradient 0.");
    }

    /// <summary>log softmax of one row, in double.</summary>
    private static void LogSoftmax<T>(ReadOnlySpan<T> logits, Span<double> logProbs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        foreach (var x in logits) max = Math.Max(max, double.CreateTruncating(x));
        double sum = 0;
        foreach (var x in logits) sum += Math.Exp(double.CreateTruncating(x) - max);
        double logSum = max + Math.Log(sum);
        for (int c = 0; c < logits.Length; c++) logProbs[c] = double.CreateTruncating(logits[c]) - logSum;
    }

    /// <summary>
    /// log p(target | logits) of one example by the forward-backward recursions, and in <paramref name="posterior"/>
    /// [time, classes] the log of Σ α + β over the states of each class: the log probability of the paths that emit
    /// that class at that time, which over p(target) is the posterior that the gradient subtracts from the softmax.
    /// </summary>
    private static double Example(double[] logProbs, int time, int classes, int[] target, Options options, out double[] posterior)
    {
        int states = 2 * target.Length + 1;
        int State(int u) => u % 2 == 0 ? options.BlankIndex : target[u / 2];
        // From state u - 2 a path may skip the blank between two labels, unless they are one label repeated and
        // repeats merge (then the blank is what separates them).
        bool CanSkipInto(int u) => u >= 2 && u % 2 == 1 && !(options.MergeRepeated && State(u) == State(u - 2));
        // A label state may last several frames only when repeats merge; a blank always may.
        bool CanStay(int u) => u % 2 == 0 || options.MergeRepeated;

        posterior = new double[time * classes];
        Array.Fill(posterior, double.NegativeInfinity);
        if (time == 0) return target.Length == 0 ? 0 : double.NegativeInfinity;

        var alpha = new double[time * states];
        var beta = new double[time * states];
        Array.Fill(alpha, double.NegativeInfinity);
        Array.Fill(beta, double.NegativeInfinity);

        alpha[0] = logProbs[State(0)];
        if (states > 1) alpha[1] = logProbs[State(1)];
        for (int t = 1; t < time; t++)
            for (int u = 0; u < states; u++)
            {
                double sum = CanStay(u) ? alpha[(t - 1) * states + u] : double.NegativeInfinity;
                if (u >= 1) sum = LogAdd(sum, alpha[(t - 1) * states + u - 1]);
                if (CanSkipInto(u)) sum = LogAdd(sum, alpha[(t - 1) * states + u - 2]);
                alpha[t * states + u] = sum + logProbs[t * classes + State(u)];
            }

        int last = (time - 1) * states;
        beta[last + states - 1] = 0;
        if (states > 1) beta[last + states - 2] = 0;
        for (int t = time - 2; t >= 0; t--)
            for (int u = 0; u < states; u++)
            {
                int next = (t + 1) * states;
                double sum = CanStay(u) ? beta[next + u] + logProbs[(t + 1) * classes + State(u)] : double.NegativeInfinity;
                if (u + 1 < states) sum = LogAdd(sum, beta[next + u + 1] + logProbs[(t + 1) * classes + State(u + 1)]);
                if (u + 2 < states && CanSkipInto(u + 2)) sum = LogAdd(sum, beta[next + u + 2] + logProbs[(t + 1) * classes + State(u + 2)]);
                beta[t * states + u] = sum;
            }

        for (int t = 0; t < time; t++)
            for (int u = 0; u < states; u++)
            {
                ref double p = ref posterior[t * classes + State(u)];
                p = LogAdd(p, alpha[t * states + u] + beta[t * states + u]);
            }

        double logLikelihood = alpha[last + states - 1];
        if (states > 1) logLikelihood = LogAdd(logLikelihood, alpha[last + states - 2]);
        return logLikelihood;
    }

    /// <summary>log(e^a + e^b), exact when either is -∞ (log 0).</summary>
    private static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        double max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
