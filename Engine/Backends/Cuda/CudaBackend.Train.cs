namespace GraphDL.Backends.Cuda;

// Kernels/optimizers.cu: in-place updates, one thread per element. The hyperparameters go in as pointers to scalar
// tensors in device memory, so a step never waits for the host to read them.
public sealed partial class CudaBackend
{
    /// <inheritdoc/>
    public void ApplyGradientDescent(Tensor variable, Tensor lr, Tensor grad)
    {
        const string primitive = "ApplyGradientDescent";
        RequireFloat32(primitive, variable, grad, lr);
        RequireSameSize(primitive, variable, grad);
        RequireScalars(primitive, lr);
        if (variable.Size == 0) return;
        Launch("apply_gradient_descent_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(grad), variable.Size, Ptr(lr));
    }

    /// <inheritdoc/>
    public void ApplyMomentum(Tensor variable, Tensor accum, Tensor lr, Tensor grad, Tensor momentum, bool nesterov)
    {
        const string primitive = "ApplyMomentum";
        RequireFloat32(primitive, variable, accum, grad, lr, momentum);
        RequireSameSize(primitive, variable, accum);
        RequireSameSize(primitive, variable, grad);
        RequireScalars(primitive, lr, momentum);
        if (variable.Size == 0) return;
        Launch("apply_momentum_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(accum), Ptr(grad), variable.Size, Ptr(lr), Ptr(momentum), nesterov ? 1 : 0);
    }

    /// <inheritdoc/>
    public void ApplyAdagrad(Tensor variable, Tensor accum, Tensor lr, Tensor grad)
    {
        const string primitive = "ApplyAdagrad";
        RequireFloat32(primitive, variable, accum, grad, lr);
        RequireSameSize(primitive, variable, accum);
        RequireSameSize(primitive, variable, grad);
        RequireScalars(primitive, lr);
        if (variable.Size == 0) return;
        Launch("apply_adagrad_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(accum), Ptr(grad), variable.Size, Ptr(lr));
    }

    /// <summary>Centered when <paramref name="mg"/> is given: the kernel takes a null pointer for the uncentered form.</summary>
    public void ApplyRmsProp(Tensor variable, Tensor ms, Tensor mom, Tensor? mg, Tensor lr, Tensor rho, Tensor momentum, Tensor epsilon, Tensor grad)
    {
        const string primitive = "ApplyRmsProp";
        RequireFloat32(primitive, variable, ms, mom, mg, grad, lr, rho, momentum, epsilon);
        RequireSameSize(primitive, variable, ms);
        RequireSameSize(primitive, variable, mom);
        RequireSameSize(primitive, variable, grad);
        if (mg is not null) RequireSameSize(primitive, variable, mg);
        RequireScalars(primitive, lr, rho, momentum, epsilon);
        if (variable.Size == 0) return;
        Launch("apply_rms_prop_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(ms), Ptr(mom), mg is null ? DevicePtr.Null : Ptr(mg), Ptr(grad), variable.Size,
            Ptr(lr), Ptr(rho), Ptr(momentum), Ptr(epsilon));
    }

    /// <inheritdoc/>
    public void ApplyAdam(Tensor variable, Tensor m, Tensor v, Tensor beta1Power, Tensor beta2Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad)
    {
        const string primitive = "ApplyAdam";
        RequireFloat32(primitive, variable, m, v, grad, beta1Power, beta2Power, lr, beta1, beta2, epsilon);
        RequireSameSize(primitive, variable, m);
        RequireSameSize(primitive, variable, v);
        RequireSameSize(primitive, variable, grad);
        RequireScalars(primitive, beta1Power, beta2Power, lr, beta1, beta2, epsilon);
        if (variable.Size == 0) return;
        Launch("apply_adam_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(m), Ptr(v), Ptr(grad), variable.Size,
            Ptr(beta1Power), Ptr(beta2Power), Ptr(lr), Ptr(beta1), Ptr(beta2), Ptr(epsilon));
    }

    /// <inheritdoc/>
    public void ApplyAdadelta(Tensor variable, Tensor accum, Tensor accumUpdate, Tensor lr, Tensor rho, Tensor epsilon, Tensor grad)
    {
        const string primitive = "ApplyAdadelta";
        RequireFloat32(primitive, variable, accum, accumUpdate, grad, lr, rho, epsilon);
        RequireSameSize(primitive, variable, accum);
        RequireSameSize(primitive, variable, accumUpdate);
        RequireSameSize(primitive, variable, grad);
        RequireScalars(primitive, lr, rho, epsilon);
        if (variable.Size == 0) return;
        Launch("apply_adadelta_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(accum), Ptr(accumUpdate), Ptr(grad), variable.Size, Ptr(lr), Ptr(rho), Ptr(epsilon));
    }

    /// <inheritdoc/>
    public void ApplyAdaMax(Tensor variable, Tensor m, Tensor u, Tensor beta1Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad)
    {
        const string primitive = "ApplyAdaMax";
        RequireFloat32(primitive, variable, m, u, grad, beta1Power, lr, beta1, beta2, epsilon);
        RequireSameSize(primitive, variable, m);
        RequireSameSize(primitive, variable, u);
        RequireSameSize(primitive, variable, grad);
        RequireScalars(primitive, beta1Power, lr, beta1, beta2, epsilon);
        if (variable.Size == 0) return;
        Launch("apply_ada_max_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(m), Ptr(u), Ptr(grad), variable.Size, Ptr(beta1Power), Ptr(lr), Ptr(beta1), Ptr(beta2), Ptr(epsilon));
    }

    /// <inheritdoc/>
    public void ApplyNadam(Tensor variable, Tensor m, Tensor v, Tensor momentumSchedule, Tensor momentum, Tensor nextMomentum, Tensor beta2Power,
                           Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad)
    {
        const string primitive = "ApplyNadam";
        RequireFloat32(primitive, variable, m, v, grad, momentumSchedule, momentum, nextMomentum, beta2Power, lr, beta1, beta2, epsilon);
        RequireSameSize(primitive, variable, m);
        RequireSameSize(primitive, variable, v);
        RequireSameSize(primitive, variable, grad);
        RequireScalars(primitive, momentumSchedule, momentum, nextMomentum, beta2Power, lr, beta1, beta2, epsilon);
        if (variable.Size == 0) return;
        Launch("apply_nadam_f32", BlocksFor(variable.Size), new Dim3(ThreadsPerBlock),
            Ptr(variable), Ptr(m), Ptr(v), Ptr(grad), variable.Size,
            Ptr(momentumSchedule), Ptr(momentum), Ptr(nextMomentum), Ptr(beta2Power), Ptr(lr), Ptr(beta1), Ptr(beta2), Ptr(epsilon));
    }

    /// <summary>Each hyperparameter must hold exactly one element, or the kernel would read past it or ignore the rest.</summary>
    private static void RequireScalars(string primitive, params ReadOnlySpan<Tensor> hyperparameters)
    {
        foreach (var t in hyperparameters)
            if (t.Size != 1) throw new ShapeException($"{primitive} takes scalar hyperparameters, got a tensor of shape {t.Shape}.");
    }
}
