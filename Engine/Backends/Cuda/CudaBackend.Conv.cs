namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    public void Conv2D(Tensor x, Tensor filter, Window2D window, Tensor y) =>
        throw new MissingKernelException("Conv2D", "not written yet");

    public void Conv2DBackpropInput(Tensor dout, Tensor filter, Window2D window, Tensor dx) =>
        throw new MissingKernelException("Conv2DBackpropInput", "not written yet");

    public void Conv2DBackpropFilter(Tensor x, Tensor dout, Window2D window, Tensor dW) =>
        throw new MissingKernelException("Conv2DBackpropFilter", "not written yet");

    public void MaxPool(Tensor x, Window2D window, Tensor y) =>
        throw new MissingKernelException("MaxPool", "not written yet");

    public void MaxPoolGrad(Tensor x, Tensor dout, Window2D window, Tensor dx) =>
        throw new MissingKernelException("MaxPoolGrad", "not written yet");

    public void MaxPoolGradGrad(Tensor x, Tensor d, Window2D window, Tensor y) =>
        throw new MissingKernelException("MaxPoolGradGrad", "not written yet");

    public void AvgPool(Tensor x, Window2D window, Tensor y) =>
        throw new MissingKernelException("AvgPool", "not written yet");

    public void AvgPoolGrad(Tensor dout, Window2D window, Tensor dx) =>
        throw new MissingKernelException("AvgPoolGrad", "not written yet");
}
