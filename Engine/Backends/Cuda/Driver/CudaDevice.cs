namespace GraphDL.Backends.Cuda.Driver;

// PLACEHOLDER until the driver binding lands.
internal sealed class CudaDevice
{
    public static IKernelDevice? TryOpen(out string? whyNot)
    {
        whyNot = "the CUDA driver binding is not written yet";
        return null;
    }
}
