namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    /// <summary>
    /// The softmax family on rows of 1, 10, 17, 33, 255 and 1025 classes (each side of the one-thread-per-row and
    /// one-block-per-row kernels and of the CPU's short-row form), on ordinary and on extreme (±80) logits.
    /// </summary>
    public static IEnumerable<ParityCase> NN()
    {
        const string family = "NN";
        (int Rows, int Classes)[] shapes = [(1, 1), (4, 1), (7, 10), (3, 17), (5, 33), (3, 255), (2, 1025)];

        foreach (var (rows, classes) in shapes)
            foreach (double range in new[] { 3.0, 80.0 })
            {
                var shape = new Shape(rows, classes);
                string what = $"{rows}x{classes}, logits in ±{range}";
                yield return new(family, $"Softmax {what}", be =>
                {
                    var y = Kit.Out(be, shape);
                    be.Softmax(Kit.On(be, Kit.Random(shape, 1, -range, range)), y);
                    return [y];
                });
                yield return new(family, $"LogSoftmax {what}", be =>
                {
                    var y = Kit.Out(be, shape);
                    be.LogSoftmax(Kit.On(be, Kit.Random(shape, 2, -range, range)), y);
                    return [y];
                });
                yield return new(family, $"SoftmaxCrossEntropy {what}", be =>
                {
                    var loss = Kit.Out(be, new Shape(rows));
                    be.SoftmaxCrossEntropy(Kit.On(be, Kit.Random(shape, 3, -range, range)), Kit.On(be, Distributions(shape, 4)), loss);
                    return [loss];
                });
                yield return new(family, $"SparseSoftmaxCrossEntropy {what}", be =>
                {
                    var loss = Kit.Out(be, new Shape(rows));
                    be.SparseSoftmaxCrossEntropy(Kit.On(be, Kit.Random(shape, 5, -range, range)), Kit.On(be, Kit.RandomInts(new Shape(rows), 6, 0, classes)), loss);
                    return [loss];
                });
            }

        yield return new(family, "Softmax of rank 3 (2x3x10) and rank 1 (10)", be =>
        {
            var y3 = Kit.Out(be, new Shape(2, 3, 10));
            be.Softmax(Kit.On(be, Kit.Random(new Shape(2, 3, 10), 7, -5, 5)), y3);
            var y1 = Kit.Out(be, new Shape(10));
            be.Softmax(Kit.On(be, Kit.Random(new Shape(10), 8, -5, 5)), y1);
            return [y3, y1];
        });

        yield return new(family, "SoftmaxCrossEntropy with labels that are not distributions (rows summing to 0..10)", be =>
        {
            var shape = new Shape(6, 40);
            var loss = Kit.Out(be, new Shape(6));
            be.SoftmaxCrossEntropy(Kit.On(be, Kit.Random(shape, 9, -4, 4)), Kit.On(be, Kit.Random(shape, 10, 0, 0.25)), loss);
            return [loss];
        });

        foreach (int classes in new[] { 10, 300 })
            yield return new(family, $"SparseSoftmaxCrossEntropy with a label out of range throws as on the CPU ({classes} classes)", be =>
            {
                var labels = Tensor.FromFlat(new[] { 1, classes, 2 }, new Shape(3));
                var loss = Kit.Out(be, new Shape(3));
                try
                {
                    be.SparseSoftmaxCrossEntropy(Kit.On(be, Kit.Random(new Shape(3, classes), 11)), Kit.On(be, labels), loss);
                    return [loss];
                }
                catch (ArgumentOutOfRangeException e)
                {
                    return [MessageCode(e.Message)];
                }
            });

        foreach (var (shape, range) in new[] { (new Shape(1), 3.0), (new Shape(7, 13), 3.0), (new Shape(3, 5, 67), 80.0) })
            yield return new(family, $"SigmoidCrossEntropy {shape}, logits in ±{range}", be =>
            {
                var y = Kit.Out(be, shape);
                be.SigmoidCrossEntropy(Kit.On(be, Kit.Random(shape, 12, -range, range)), Kit.On(be, Kit.Random(shape, 13, 0, 1)), y);
                return [y];
            });

        // Rows of non-negative weights that sum to one.
        static Tensor Distributions(Shape shape, int seed)
        {
            var t = Kit.Random(shape, seed, 0, 1);
            var span = t.Span<float>();
            int classes = shape[-1];
            for (int start = 0; start < span.Length; start += classes)
            {
                var row = span.Slice(start, classes);
                float sum = 0;
                foreach (float v in row) sum += v;
                for (int k = 0; k < classes; k++) row[k] /= sum;
            }
            return t;
        }
    }

    /// <summary>An exception's message as a number that compares exactly: a case that expects the same error on both sides returns it.</summary>
    internal static Tensor MessageCode(string message)
    {
        int code = 0;
        foreach (char c in message) code = (code * 31 + c) & 0xFFFFF;
        return Tensor.Scalar((float)code);
    }
}
