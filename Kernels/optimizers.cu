// The optimizers' update rules, in place on the variable and its slots, one thread per element. The hyperparameters
// are scalar tensors in device memory, read by every thread where the update runs, so a learning rate that changes
// while training costs the host nothing. Every product is grouped as in the CPU reference (CpuBackend.Train.cs),
// which computes in the variable's precision: 1 - rho, for one, is formed in float here as it is there.

extern "C" __global__ void apply_gradient_descent_f32(float* __restrict__ w, const float* __restrict__ g, int n,
                                                      const float* __restrict__ lr)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    w[i] = g[i] * -lr[0] + w[i];
}

// accum = momentum accum + g; w -= lr accum, or with Nesterov's look-ahead w -= lr g + lr momentum accum.
extern "C" __global__ void apply_momentum_f32(float* __restrict__ w, float* __restrict__ accum, const float* __restrict__ g, int n,
                                             const float* __restrict__ lr, const float* __restrict__ momentum, int nesterov)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float rate = lr[0], mu = momentum[0];
    float gi = g[i];
    float a = accum[i] * mu + gi;
    accum[i] = a;
    w[i] -= nesterov ? rate * gi + rate * mu * a : rate * a;
}

extern "C" __global__ void apply_adagrad_f32(float* __restrict__ w, float* __restrict__ accum, const float* __restrict__ g, int n,
                                            const float* __restrict__ lr)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float gi = g[i];
    float a = accum[i] + gi * gi;
    accum[i] = a;
    w[i] -= lr[0] * gi / sqrtf(a);
}

// ms = rho ms + (1 - rho) g^2; centered (mg not null): mg = rho mg + (1 - rho) g and the denominator loses mg^2;
// mom = momentum mom + lr g / sqrt(denominator); w -= mom.
extern "C" __global__ void apply_rms_prop_f32(float* __restrict__ w, float* __restrict__ ms, float* __restrict__ mom, float* __restrict__ mg,
                                             const float* __restrict__ g, int n, const float* __restrict__ lr, const float* __restrict__ rho,
                                             const float* __restrict__ momentum, const float* __restrict__ epsilon)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float decay = rho[0];
    float gi = g[i];
    float oneMinusRho = 1.0f - decay;
    float s = decay * ms[i] + oneMinusRho * gi * gi;
    ms[i] = s;
    float denominator = s + epsilon[0];
    if (mg != 0)
    {
        float meanGrad = decay * mg[i] + oneMinusRho * gi;
        mg[i] = meanGrad;
        denominator -= meanGrad * meanGrad;
    }
    float step = momentum[0] * mom[i] + lr[0] * gi / sqrtf(denominator);
    mom[i] = step;
    w[i] -= step;
}

// lrT = lr sqrt(1 - beta2^t) / (1 - beta1^t); m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
// w -= lrT m / (sqrt(v) + epsilon). Each thread forms lrT from the powers itself: one multiply-divide is cheaper
// than a launch, or a wait for the host, to form it once.
extern "C" __global__ void apply_adam_f32(float* __restrict__ w, float* __restrict__ m, float* __restrict__ v, const float* __restrict__ g, int n,
                                         const float* __restrict__ beta1Power, const float* __restrict__ beta2Power, const float* __restrict__ lr,
                                         const float* __restrict__ beta1, const float* __restrict__ beta2, const float* __restrict__ epsilon)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float b1 = beta1[0], b2 = beta2[0];
    float lrT = lr[0] * sqrtf(1.0f - beta2Power[0]) / (1.0f - beta1Power[0]);
    float gi = g[i];
    float mi = b1 * m[i] + (1.0f - b1) * gi;
    float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= lrT * mi / (sqrtf(vi) + epsilon[0]);
}

// accum = rho accum + (1 - rho) g^2; update = sqrt(accumUpdate + epsilon) / sqrt(accum + epsilon) g;
// accumUpdate = rho accumUpdate + (1 - rho) update^2; w -= lr update.
extern "C" __global__ void apply_adadelta_f32(float* __restrict__ w, float* __restrict__ accum, float* __restrict__ accumUpdate,
                                             const float* __restrict__ g, int n, const float* __restrict__ lr, const float* __restrict__ rho,
                                             const float* __restrict__ epsilon)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float decay = rho[0], eps = epsilon[0];
    float oneMinusRho = 1.0f - decay;
    float gi = g[i];
    float a = decay * accum[i] + oneMinusRho * gi * gi;
    accum[i] = a;
    float update = sqrtf(accumUpdate[i] + eps) / sqrtf(a + eps) * gi;
    accumUpdate[i] = decay * accumUpdate[i] + oneMinusRho * update * update;
    w[i] -= lr[0] * update;
}

// m = beta1 m + (1 - beta1) g; u = max(beta2 u, |g|); w -= lr / (1 - beta1^t) m / (u + epsilon).
extern "C" __global__ void apply_ada_max_f32(float* __restrict__ w, float* __restrict__ m, float* __restrict__ u, const float* __restrict__ g, int n,
                                            const float* __restrict__ beta1Power, const float* __restrict__ lr, const float* __restrict__ beta1,
                                            const float* __restrict__ beta2, const float* __restrict__ epsilon)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float b1 = beta1[0];
    float lrT = lr[0] / (1.0f - beta1Power[0]);
    float gi = g[i];
    float mi = b1 * m[i] + (1.0f - b1) * gi;
    float ui = elementwise_maximum(beta2[0] * u[i], fabsf(gi));   // elementwise.cu's: a NaN gradient gives NaN, as on the CPU
    m[i] = mi;
    u[i] = ui;
    w[i] -= lrT * mi / (ui + epsilon[0]);
}

// Keras's Nadam. schedule = momentumSchedule mu_t and nextSchedule = schedule mu_{t+1} are formed by every thread, as
// Adam's lrT is; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
// mBar = (1 - mu_t) g / (1 - schedule) + mu_{t+1} m / (1 - nextSchedule); w -= lr mBar / (sqrt(v / (1 - beta2^t)) + epsilon).
extern "C" __global__ void apply_nadam_f32(float* __restrict__ w, float* __restrict__ m, float* __restrict__ v, const float* __restrict__ g, int n,
                                          const float* __restrict__ momentumSchedule, const float* __restrict__ momentum,
                                          const float* __restrict__ nextMomentum, const float* __restrict__ beta2Power, const float* __restrict__ lr,
                                          const float* __restrict__ beta1, const float* __restrict__ beta2, const float* __restrict__ epsilon)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float b1 = beta1[0], b2 = beta2[0], mu = momentum[0], nextMu = nextMomentum[0];
    float schedule = momentumSchedule[0] * mu;
    float nextSchedule = schedule * nextMu;
    float secondMomentCorrection = 1.0f - beta2Power[0];
    float gi = g[i];
    float mi = b1 * m[i] + (1.0f - b1) * gi;
    float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    float mBar = (1.0f - mu) * (gi / (1.0f - schedule)) + nextMu * (mi / (1.0f - nextSchedule));
    w[i] -= lr[0] * mBar / (sqrtf(vi / secondMomentCorrection) + epsilon[0]);
}
