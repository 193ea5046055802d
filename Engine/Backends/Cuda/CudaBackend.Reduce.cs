namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    public void Reduce(ReduceFn fn, Tensor x, int[] axes, Tensor y) =>
        throw new MissingKernelException("Reduce", "not written yet");

    public void ArgReduce(bool max, Tensor x, int axis, Tensor y) =>
        throw new MissingKernelException("ArgReduce", "not written yet");

    public void SumTo(Tensor x, Tensor y) =>
        throw new MissingKernelException("SumTo", "not written yet");

    public void BroadcastTo(Tensor x, Tensor y) =>
        throw new MissingKernelException("BroadcastTo", "not written yet");
}
