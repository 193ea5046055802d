// The optimizers' update rules, in place on the variable and its slots, one thread per element. The scalars
// arrive as floats and every product is grouped as in the CPU reference (CpuBackend.Train.cs), which computes
// in the variable's precision: 1 - rho, for one, is formed in float here as it is there.

extern "C" __global__ void apply_gradient_descent_f32(float* __restrict__ w, const float* __restrict__ g, int n, float lr)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    w[i] = g[i] * -lr + w[i];
}

// accum = momentum accum + g; w -= lr accum, or with Nesterov's look-ahead w -= lr g + lr momentum accum.
extern "C" __global__ void apply_momentum_f32(float* __restrict__ w, float* __restrict__ accum, const float* __restrict__ g, int n,
                                             float lr, float momentum, int nesterov)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float gi = g[i];
    float a = accum[i] * momentum + gi;
    accum[i] = a;
    w[i] -= nesterov ? lr * gi + lr * momentum * a : lr * a;
}

extern "C" __global__ void apply_adagrad_f32(float* __restrict__ w, float* __restrict__ accum, const float* __restrict__ g, int n, float lr)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float gi = g[i];
    float a = accum[i] + gi * gi;
    accum[i] = a;
    w[i] -= lr * gi / sqrtf(a);
}

// ms = rho ms + (1 - rho) g^2; centered (mg not null): mg = rho mg + (1 - rho) g and the denominator loses mg^2;
// mom = momentum mom + lr g / sqrt(denominator); w -= mom.
extern "C" __global__ void apply_rms_prop_f32(float* __restrict__ w, float* __restrict__ ms, float* __restrict__ mom, float* __restrict__ mg,
                                             const float* __restrict__ g, int n, float lr, float rho, float momentum, float epsilon)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float gi = g[i];
    float oneMinusRho = 1.0f - rho;
    float s = rho * ms[i] + oneMinusRho * gi * gi;
    ms[i] = s;
    float denominator = s + epsilon;
    if (mg != 0)
    {
        float meanGrad = rho * mg[i] + oneMinusRho * gi;
        mg[i] = meanGrad;
        denominator -= meanGrad * meanGrad;
    }
    float step = momentum * mom[i] + lr * gi / sqrtf(denominator);
    mom[i] = step;
    w[i] -= step;
}

// m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; w -= lrT m / (sqrt(v) + epsilon), lrT bias-corrected by the caller.
extern "C" __global__ void apply_adam_f32(float* __restrict__ w, float* __restrict__ m, float* __restrict__ v, const float* __restrict__ g, int n,
                                         float lrT, float beta1, float beta2, float epsilon)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float gi = g[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= lrT * mi / (sqrtf(vi) + epsilon);
}
