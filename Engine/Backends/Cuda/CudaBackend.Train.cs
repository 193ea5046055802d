namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    public void ApplyGradientDescent(Tensor variable, double lr, Tensor grad) =>
        throw new MissingKernelException("ApplyGradientDescent", "not written yet");

    public void ApplyMomentum(Tensor variable, Tensor accum, double lr, Tensor grad, double momentum, bool nesterov) =>
        throw new MissingKernelException("ApplyMomentum", "not written yet");

    public void ApplyAdagrad(Tensor variable, Tensor accum, double lr, Tensor grad) =>
        throw new MissingKernelException("ApplyAdagrad", "not written yet");

    public void ApplyRmsProp(Tensor variable, Tensor ms, Tensor mom, Tensor? mg, double lr, double rho, double momentum, double epsilon, Tensor grad) =>
        throw new MissingKernelException("ApplyRmsProp", "not written yet");

    public void ApplyAdam(Tensor variable, Tensor m, Tensor v, double lrT, double beta1, double beta2, double epsilon, Tensor grad) =>
        throw new MissingKernelException("ApplyAdam", "not written yet");
}
