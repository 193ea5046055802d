namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    public void MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y) =>
        throw new MissingKernelException("MatMul", "not written yet");
}
