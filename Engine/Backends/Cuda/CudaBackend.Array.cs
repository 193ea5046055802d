namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    public void Transpose(Tensor x, int[] perm, Tensor y) =>
        throw new MissingKernelException("Transpose", "not written yet");

    public void Concat(IReadOnlyList<Tensor> x, int axis, Tensor y) =>
        throw new MissingKernelException("Concat", "not written yet");

    public void Slice(Tensor x, int[] begin, Tensor y) =>
        throw new MissingKernelException("Slice", "not written yet");

    public void SliceGrad(Tensor dout, int[] begin, Tensor dx) =>
        throw new MissingKernelException("SliceGrad", "not written yet");

    public void Gather(Tensor x, Tensor indices, int axis, Tensor y) =>
        throw new MissingKernelException("Gather", "not written yet");

    public void GatherGrad(Tensor dout, Tensor indices, int axis, Tensor dx) =>
        throw new MissingKernelException("GatherGrad", "not written yet");

    public void OneHot(Tensor indices, double on, double off, Tensor y) =>
        throw new MissingKernelException("OneHot", "not written yet");

    public void Tile(Tensor x, Tensor y) =>
        throw new MissingKernelException("Tile", "not written yet");

    public void TileGrad(Tensor dout, Tensor dx) =>
        throw new MissingKernelException("TileGrad", "not written yet");
}
