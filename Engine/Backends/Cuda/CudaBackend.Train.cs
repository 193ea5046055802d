namespace GraphDL.Backends.Cuda;

// Kernels/optimizers.cu: in-place updates, one thread per element. The scalars go in as floats, the precision
// the CPU reference computes a Float32 variable's update in.
public sealed partial class CudaBackend
{
    public void ApplyGradientDescent(Tensor variable, double lr, Tensor grad)
    {
        const string primitive = "ApplyGradientDescent";
        RequireFloat32(primitive, variable, grad);
        RequireSameSize(primitive, variable, grad);
        if (variable.Size == 0) return;
        Launch("apply_gradient_descent_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(grad), variable.Size, (float)lr);
    }

    public void ApplyMomentum(Tensor variable, Tensor accum, double lr, Tensor grad, double momentum, bool nesterov)
    {
        const string primitive = "ApplyMomentum";
        RequireFloat32(primitive, variable, accum, grad);
        RequireSameSize(primitive, variable, accum);
        RequireSameSize(primitive, variable, grad);
        if (variable.Size == 0) return;
        Launch("apply_momentum_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(accum), Ptr(grad), variable.Size, (float)lr, (float)momentum, nesterov ? 1 : 0);
    }

    public void ApplyAdagrad(Tensor variable, Tensor accum, double lr, Tensor grad)
    {
        const string primitive = "ApplyAdagrad";
        RequireFloat32(primitive, variable, accum, grad);
        RequireSameSize(primitive, variable, accum);
        RequireSameSize(primitive, variable, grad);
        if (variable.Size == 0) return;
        Launch("apply_adagrad_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(accum), Ptr(grad), variable.Size, (float)lr);
    }

    /// <summary>Centered when <paramref name="mg"/> is given: the kernel takes a null pointer for the uncentered form.</summary>
    public void ApplyRmsProp(Tensor variable, Tensor ms, Tensor mom, Tensor? mg, double lr, double rho, double momentum, double epsilon, Tensor grad)
    {
        const string primitive = "ApplyRmsProp";
        RequireFloat32(primitive, variable, ms, mom);
        RequireFloat32(primitive, grad, mg);
        RequireSameSize(primitive, variable, ms);
        RequireSameSize(primitive, variable, mom);
        RequireSameSize(primitive, variable, grad);
        if (mg is not null) RequireSameSize(primitive, variable, mg);
        if (variable.Size == 0) return;
        Launch("apply_rms_prop_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(ms), Ptr(mom), mg is null ? DevicePtr.Null : Ptr(mg), Ptr(grad), variable.Size,
            (float)lr, (float)rho, (float)momentum, (float)epsilon);
    }

    public void ApplyAdam(Tensor variable, Tensor m, Tensor v, double lrT, double beta1, double beta2, double epsilon, Tensor grad)
    {
        const string primitive = "ApplyAdam";
        RequireFloat32(primitive, variable, m, v);
        RequireFloat32(primitive, grad);
        RequireSameSize(primitive, variable, m);
        RequireSameSize(primitive, variable, v);
        RequireSameSize(primitive, variable, grad);
        if (variable.Size == 0) return;
        Launch("apply_adam_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(m), Ptr(v), Ptr(grad), variable.Size, (float)lrT, (float)beta1, (float)beta2, (float)epsilon);
    }
}
