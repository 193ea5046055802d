using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// A third backend, written here and nowhere else: it counts the primitives a session calls, hands the work to
/// the CPU, and has no kernel for <see cref="IBackend.Softmax"/>, so the session must run that node on its
/// <see cref="IBackend.Host"/>. Training on it must match the CPU; if Core or Runtime knew the backends by name,
/// this one would not run at all.
/// </summary>
public class CountingBackendTests
{
    private sealed class CountingBackend : IBackend
    {
        private readonly IBackend _cpu = Devices.Cpu;

        public Dictionary<string, int> Calls { get; } = [];

        private IBackend Count([CallerMemberName] string primitive = "")
        {
            Calls[primitive] = Calls.GetValueOrDefault(primitive) + 1;
            return _cpu;
        }

        public string Name => "counting";

        public IBackend Host => _cpu;

        public void MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y) => Count().MatMul(a, b, transposeA, transposeB, y);
        public void Unary(UnaryFn fn, Tensor x, Tensor y, double alpha = 0) => Count().Unary(fn, x, y, alpha);
        public void Binary(BinaryFn fn, Tensor a, Tensor b, Tensor y) => Count().Binary(fn, a, b, y);
        public void Compare(CompareFn fn, Tensor a, Tensor b, Tensor y) => Count().Compare(fn, a, b, y);
        public void Where(Tensor condition, Tensor a, Tensor b, Tensor y) => Count().Where(condition, a, b, y);
        public void Cast(Tensor x, Tensor y) => Count().Cast(x, y);
        public void Copy(Tensor x, Tensor y) => Count().Copy(x, y);
        public void Fill(Tensor y, double value) => Count().Fill(y, value);
        public void AddN(IReadOnlyList<Tensor> x, Tensor y) => Count().AddN(x, y);
        public void Reduce(ReduceFn fn, Tensor x, int[] axes, Tensor y) => Count().Reduce(fn, x, axes, y);
        public void ArgReduce(bool max, Tensor x, int axis, Tensor y) => Count().ArgReduce(max, x, axis, y);
        public void SumTo(Tensor x, Tensor y) => Count().SumTo(x, y);
        public void BroadcastTo(Tensor x, Tensor y) => Count().BroadcastTo(x, y);
        public void Softmax(Tensor x, Tensor y)
        {
            Count();
            throw new MissingKernelException(nameof(Softmax), "this backend leaves it to the CPU");
        }
        public void LogSoftmax(Tensor x, Tensor y) => Count().LogSoftmax(x, y);
        public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) => Count().SoftmaxCrossEntropy(logits, labels, loss);
        public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) => Count().SparseSoftmaxCrossEntropy(logits, labels, loss);
        public void SigmoidCrossEntropy(Tensor logits, Tensor labels, Tensor y) => Count().SigmoidCrossEntropy(logits, labels, y);
        public void Transpose(Tensor x, int[] perm, Tensor y) => Count().Transpose(x, perm, y);
        public void Concat(IReadOnlyList<Tensor> x, int axis, Tensor y) => Count().Concat(x, axis, y);
        public void Slice(Tensor x, int[] begin, Tensor y) => Count().Slice(x, begin, y);
        public void SliceGrad(Tensor dout, int[] begin, Tensor dx) => Count().SliceGrad(dout, begin, dx);
        public void Gather(Tensor x, Tensor indices, int axis, Tensor y) => Count().Gather(x, indices, axis, y);
        public void GatherGrad(Tensor dout, Tensor indices, int axis, Tensor dx) => Count().GatherGrad(dout, indices, axis, dx);
        public void OneHot(Tensor indices, double on, double off, Tensor y) => Count().OneHot(indices, on, off, y);
        public void Tile(Tensor x, Tensor y) => Count().Tile(x, y);
        public void TileGrad(Tensor dout, Tensor dx) => Count().TileGrad(dout, dx);
        public void Pad(Tensor x, int[] before, PadMode mode, double constantValue, Tensor y) => Count().Pad(x, before, mode, constantValue, y);
        public void PadGrad(Tensor dout, int[] before, PadMode mode, Tensor dx) => Count().PadGrad(dout, before, mode, dx);
        public void Conv2D(Tensor x, Tensor filter, Window2D window, Tensor y) => Count().Conv2D(x, filter, window, y);
        public void Conv2DBackpropInput(Tensor dout, Tensor filter, Window2D window, Tensor dx) => Count().Conv2DBackpropInput(dout, filter, window, dx);
        public void Conv2DBackpropFilter(Tensor x, Tensor dout, Window2D window, Tensor dW) => Count().Conv2DBackpropFilter(x, dout, window, dW);
        public void MaxPool(Tensor x, Window2D window, Tensor y) => Count().MaxPool(x, window, y);
        public void MaxPoolGrad(Tensor x, Tensor dout, Window2D window, Tensor dx) => Count().MaxPoolGrad(x, dout, window, dx);
        public void MaxPoolGradGrad(Tensor x, Tensor d, Window2D window, Tensor y) => Count().MaxPoolGradGrad(x, d, window, y);
        public void AvgPool(Tensor x, Window2D window, Tensor y) => Count().AvgPool(x, window, y);
        public void AvgPoolGrad(Tensor dout, Window2D window, Tensor dx) => Count().AvgPoolGrad(dout, window, dx);
        public void ApplyGradientDescent(Tensor variable, Tensor lr, Tensor grad) => Count().ApplyGradientDescent(variable, lr, grad);
        public void ApplyMomentum(Tensor variable, Tensor accum, Tensor lr, Tensor grad, Tensor momentum, bool nesterov) =>
            Count().ApplyMomentum(variable, accum, lr, grad, momentum, nesterov);
        public void ApplyAdagrad(Tensor variable, Tensor accum, Tensor lr, Tensor grad) => Count().ApplyAdagrad(variable, accum, lr, grad);
        public void ApplyRmsProp(Tensor variable, Tensor ms, Tensor mom, Tensor? mg, Tensor lr, Tensor rho, Tensor momentum, Tensor epsilon, Tensor grad) =>
            Count().ApplyRmsProp(variable, ms, mom, mg, lr, rho, momentum, epsilon, grad);
        public void ApplyAdam(Tensor variable, Tensor m, Tensor v, Tensor beta1Power, Tensor beta2Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad) =>
            Count().ApplyAdam(variable, m, v, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grad);
        public void ApplyAdadelta(Tensor variable, Tensor accum, Tensor accumUpdate, Tensor lr, Tensor rho, Tensor epsilon, Tensor grad) =>
            Count().ApplyAdadelta(variable, accum, accumUpdate, lr, rho, epsilon, grad);
        public void ApplyAdaMax(Tensor variable, Tensor m, Tensor u, Tensor beta1Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad) =>
            Count().ApplyAdaMax(variable, m, u, beta1Power, lr, beta1, beta2, epsilon, grad);
        public void ApplyNadam(Tensor variable, Tensor m, Tensor v, Tensor momentumSchedule, Tensor momentum, Tensor nextMomentum, Tensor beta2Power,
                               Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad) =>
            Count().ApplyNadam(variable, m, v, momentumSchedule, momentum, nextMomentum, beta2Power, lr, beta1, beta2, epsilon, grad);
        public void LstmBlockCell(Tensor z, Tensor? cPrev, Tensor c, Tensor h) => Count().LstmBlockCell(z, cPrev, c, h);
        public void LstmBlockCellGrad(Tensor z, Tensor? cPrev, Tensor dc, Tensor dh, Tensor dz, Tensor? dcPrev) => Count().LstmBlockCellGrad(z, cPrev, dc, dh, dz, dcPrev);
        public void GruBlockCell(Tensor gates, Tensor candidateFromX, Tensor? hPrev, Tensor? candidateKernel, Tensor z, Tensor r, Tensor c, Tensor h) =>
            Count().GruBlockCell(gates, candidateFromX, hPrev, candidateKernel, z, r, c, h);
        public void GruBlockCellGrad(Tensor z, Tensor r, Tensor c, Tensor dh, Tensor? hPrev, Tensor? candidateKernel, Tensor dGates, Tensor dCandidate, Tensor? dhPrev) =>
            Count().GruBlockCellGrad(z, r, c, dh, hPrev, candidateKernel, dGates, dCandidate, dhPrev);
    }

    /// <summary>Three Adam steps of a small softmax classifier; returns the losses, the trained W and what the session logged.</summary>
    private static (double[] Losses, double[] W, List<string> Log) Train(IBackend backend)
    {
        var g = new Graph { Seed = 3 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var labels = g.Placeholder(DType.Float32, new Shape(-1, 2), "labels");
        var w = g.Variable(Init.TruncatedNormal([3, 2], stddev: 0.5), "W");
        var b = g.Variable(Init.Zeros(2), "b");
        var probabilities = g.Softmax(g.MatMul(x, w) + b);
        var loss = g.ReduceMean(-g.ReduceSum(labels * g.Log(probabilities), axis: 1));
        var train = new AdamOptimizer(0.1).Minimize(loss);
        var feeds = new FeedDict
        {
            [x] = new float[,] { { 1, 0, 2 }, { -1, 1, 0 }, { 0.5f, -2, 1 }, { 2, 2, -1 } },
            [labels] = new float[,] { { 1, 0 }, { 0, 1 }, { 1, 0 }, { 0, 1 } },
        };
        var log = new List<string>();
        using var session = new Session(g, backend) { Log = log.Add };
        session.Run(g.GlobalVariablesInitializer());
        var losses = Enumerable.Range(0, 3).Select(_ => (double)session.Run([loss, train], feeds)[0]).ToArray();
        return (losses, session.GetValue(w).ToDoubles(), log);
    }

    [Test]
    public void ATrainingStepRunsOnABackendThatCoreAndRuntimeDoNotKnow()
    {
        var counting = new CountingBackend();
        var (losses, w, log) = Train(counting);
        var (cpuLosses, cpuW, _) = Train(Devices.Cpu);

        Assert.That(losses, Is.EqualTo(cpuLosses));
        Assert.That(w, Is.EqualTo(cpuW));
        Assert.That(counting.Calls["MatMul"], Is.EqualTo(3 * 2), "the forward product and dW, each step (x is fed: no dx)");
        Assert.That(counting.Calls["ApplyAdam"], Is.EqualTo(3 * 2), "W and b, each step");
        Assert.That(counting.Calls["Softmax"], Is.EqualTo(1), "asked once; the node then stays on the host");
        Assert.That(log, Is.EqualTo(new[] { "GraphDL: Softmax 'Softmax' runs on the CPU: counting has no kernel for Softmax: this backend leaves it to the CPU." }));
    }
}
