namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    public void Unary(UnaryFn fn, Tensor x, Tensor y, double alpha) =>
        throw new MissingKernelException("Unary", "not written yet");

    public void Binary(BinaryFn fn, Tensor a, Tensor b, Tensor y) =>
        throw new MissingKernelException("Binary", "not written yet");

    public void Compare(CompareFn fn, Tensor a, Tensor b, Tensor y) =>
        throw new MissingKernelException("Compare", "not written yet");

    public void Where(Tensor condition, Tensor a, Tensor b, Tensor y) =>
        throw new MissingKernelException("Where", "not written yet");

    public void Cast(Tensor x, Tensor y) =>
        throw new MissingKernelException("Cast", "not written yet");

    public void Fill(Tensor y, double value) =>
        throw new MissingKernelException("Fill", "not written yet");

    public void AddN(IReadOnlyList<Tensor> x, Tensor y) =>
        throw new MissingKernelException("AddN", "not written yet");
}
