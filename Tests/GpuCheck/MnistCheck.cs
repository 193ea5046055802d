using GraphDL.Backends.Cpu;
using GraphDL.Data;

namespace GraphDL.GpuCheck;

/// <summary>
/// The MNIST single-layer lesson's training run (softmax regression, batches of 100, learning rate 0.5) on a given
/// backend: the GPU must reach the CPU's test accuracy from the same start and the same batches.
/// </summary>
public static class MnistCheck
{
    public sealed record Outcome(string Backend, double Accuracy, double FinalLoss, TimeSpan Time);

    /// <summary>Trains <paramref name="steps"/> steps on <paramref name="backend"/> and measures test accuracy.</summary>
    public static Outcome Train(IBackend backend, MnistData mnist, int steps = 1000, int? testRows = null)
    {
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Mnist.Pixels), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, Mnist.Classes), "y");
        var W = g.Variable(Init.Zeros(Mnist.Pixels, Mnist.Classes), "W");
        var b = g.Variable(Init.Zeros(Mnist.Classes), "b");
        var logits = g.MatMul(x, W) + b;
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(y, logits));
        var train = new GradientDescentOptimizer(0.5).Minimize(loss);
        var correct = g.Equal(g.ArgMax(logits, 1), g.ArgMax(y, 1));
        var accuracy = g.ReduceMean(g.Cast(correct, DType.Float32));

        // Each run gets its own batch order from the same seed, so both backends see the same batches.
        var batches = new DataSet(mnist.Train.Features, mnist.Train.Labels, seed: 11);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var session = new Session(g, backend);
        session.Run(g.GlobalVariablesInitializer());
        var batchXs = new Tensor(new Shape(100, Mnist.Pixels));
        var batchYs = new Tensor(new Shape(100, Mnist.Classes));
        var feeds = new FeedDict { [x] = batchXs, [y] = batchYs };
        Fetch[] step = [train, loss];
        double lastLoss = double.NaN;
        for (int i = 0; i < steps; i++)
        {
            batches.NextBatch(batchXs, batchYs);
            var r = session.Run(step, feeds);
            if (i == steps - 1) lastLoss = (double)r[1];
        }
        var (testX, testY) = testRows is int rows
            ? (Rows(mnist.Test.Features, rows), Rows(mnist.Test.Labels, rows))
            : (mnist.Test.Features, mnist.Test.Labels);
        double acc = (double)session.Run(accuracy, new() { [x] = testX, [y] = testY });
        return new Outcome(backend.Name, acc, lastLoss, clock.Elapsed);
    }

    /// <summary>Trains on the CPU and on <paramref name="gpu"/>; null when the accuracies agree within <paramref name="tolerance"/>, else why not.</summary>
    public static string? Mismatch(IBackend gpu, MnistData mnist, int steps, int? testRows, double tolerance, Action<Outcome>? report = null)
    {
        var cpu = Train(CpuBackend.Instance, mnist, steps, testRows);
        report?.Invoke(cpu);
        var device = Train(gpu, mnist, steps, testRows);
        report?.Invoke(device);
        return Math.Abs(cpu.Accuracy - device.Accuracy) <= tolerance
            ? null
            : $"test accuracy {device.Accuracy:P2} on {device.Backend}, {cpu.Accuracy:P2} on the CPU (tolerance {tolerance:P2})";
    }

    private static Tensor Rows(Tensor all, int rows)
    {
        int width = all.Size / all.Shape[0];
        return Tensor.FromFlat(all.ToArray<float>()[..(rows * width)], new Shape(rows, width));
    }
}
