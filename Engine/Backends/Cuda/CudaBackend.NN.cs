namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    public void Softmax(Tensor x, Tensor y) =>
        throw new MissingKernelException("Softmax", "not written yet");

    public void LogSoftmax(Tensor x, Tensor y) =>
        throw new MissingKernelException("LogSoftmax", "not written yet");

    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) =>
        throw new MissingKernelException("SoftmaxCrossEntropy", "not written yet");

    public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) =>
        throw new MissingKernelException("SparseSoftmaxCrossEntropy", "not written yet");

    public void SigmoidCrossEntropy(Tensor logits, Tensor labels, Tensor y) =>
        throw new MissingKernelException("SigmoidCrossEntropy", "not written yet");
}
