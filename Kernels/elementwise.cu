// Elementwise kernels: one thread per output element, launched in blocks of 256 (CudaBackend.ThreadsPerBlock).
// Each kernel is named after the IBackend function it computes (UnaryFn.Sigmoid <-> sigmoid_f32) and follows
// the CPU backend's formula for it, edge cases included, so that both backends give the same numbers.
//
// Operands are not __restrict__: the executor may hand the same buffer as input and output, and a thread
// reads its inputs at index i before it writes y[i], which is safe only if the compiler may not assume
// the pointers differ. Streaming kernels read every element once, so the read-only cache would not help.

// The thread's element, or -1 past the end. Unsigned arithmetic: for n near 2^31 the last block's indices
// would overflow an int.
__device__ __forceinline__ int elementwise_index(int n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    return i < (unsigned)n ? (int)i : -1;
}

// The CPU's Maximum and Minimum (IEEE 754-2019 maximum/minimum): a NaN operand gives NaN, and +0 is larger
// than -0. fmaxf/fminf would return the other operand for a NaN.
__device__ __forceinline__ float elementwise_maximum(float a, float b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return __float_as_int(a) < 0 ? b : a;
    return a > b ? a : b;
}

__device__ __forceinline__ float elementwise_minimum(float a, float b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return __float_as_int(a) < 0 ? a : b;
    return a < b ? a : b;
}

// Each kernel's own line declares it, so that a text scan for `extern "C" __global__ void name(` finds every
// kernel (the emulator's registry is built that way); the macros supply only the parameters and the body.

// ---- Unary: y = f(x); alpha parameterises leaky_relu and elu and is ignored by the rest ----

#define UNARY_PARAMS const float* xs, float* ys, int n, float alpha
#define UNARY(expr)                                                                        \
    {                                                                                      \
        (void)alpha;                                                                       \
        int i = elementwise_index(n);                                                      \
        if (i < 0) return;                                                                 \
        float x = xs[i];                                                                   \
        ys[i] = (expr);                                                                    \
    }

extern "C" __global__ void identity_f32(UNARY_PARAMS) UNARY(x)
extern "C" __global__ void neg_f32(UNARY_PARAMS) UNARY(-x)
extern "C" __global__ void abs_f32(UNARY_PARAMS) UNARY(fabsf(x))
extern "C" __global__ void sign_f32(UNARY_PARAMS) UNARY(x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x == 0.0f ? 0.0f : x)   // NaN stays NaN, -0 gives 0
extern "C" __global__ void square_f32(UNARY_PARAMS) UNARY(x * x)
extern "C" __global__ void sqrt_f32(UNARY_PARAMS) UNARY(sqrtf(x))
extern "C" __global__ void rsqrt_f32(UNARY_PARAMS) UNARY(1.0f / sqrtf(x))   // both correctly rounded, as the CPU's; rsqrtf approximates
extern "C" __global__ void reciprocal_f32(UNARY_PARAMS) UNARY(1.0f / x)
extern "C" __global__ void exp_f32(UNARY_PARAMS) UNARY(expf(x))
extern "C" __global__ void log_f32(UNARY_PARAMS) UNARY(logf(x))
extern "C" __global__ void sin_f32(UNARY_PARAMS) UNARY(sinf(x))
extern "C" __global__ void cos_f32(UNARY_PARAMS) UNARY(cosf(x))
extern "C" __global__ void floor_f32(UNARY_PARAMS) UNARY(floorf(x))
extern "C" __global__ void sigmoid_f32(UNARY_PARAMS) UNARY(1.0f / (1.0f + expf(-x)))   // e^-x = inf for x < -88: 1 / inf = 0, no NaN
extern "C" __global__ void tanh_f32(UNARY_PARAMS) UNARY(tanhf(x))
extern "C" __global__ void relu_f32(UNARY_PARAMS) UNARY(x > 0.0f || x != x ? x : 0.0f)   // the CPU's max(x, 0): NaN stays, -0 gives +0
extern "C" __global__ void step_f32(UNARY_PARAMS) UNARY(x >= 0.0f ? 1.0f : 0.0f)
extern "C" __global__ void softplus_f32(UNARY_PARAMS) UNARY(fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x))))   // log(1 + e^x), never overflows
extern "C" __global__ void leaky_relu_f32(UNARY_PARAMS) UNARY(x > 0.0f ? x : alpha * x)
extern "C" __global__ void elu_f32(UNARY_PARAMS) UNARY(x > 0.0f ? x : alpha * (expf(x) - 1.0f))   // e^x - 1 as the CPU has it, not expm1f
extern "C" __global__ void tan_f32(UNARY_PARAMS) UNARY(tanf(x))
extern "C" __global__ void atan_f32(UNARY_PARAMS) UNARY(atanf(x))
extern "C" __global__ void log1p_f32(UNARY_PARAMS) UNARY(log1pf(x))   // the CPU corrects ln(1 + x) near 0 too: both keep x's digits
extern "C" __global__ void expm1_f32(UNARY_PARAMS) UNARY(expm1f(x))
extern "C" __global__ void round_f32(UNARY_PARAMS) UNARY(rintf(x))    // halves to even, as tf.round; roundf takes them away from 0

// ---- Binary: y = f(a, b), each operand broadcast into y's shape through the walk w (common.cuh) ----
// Equal shapes arrive as a rank-1 walk with strides 1, so the offsets are the flat index with no division;
// a bias (n, k) + (k,) arrives as rank 2 and costs one division.

#define BINARY_PARAMS(type) const type* as, const type* bs, type* ys, int n, Broadcast w
#define BINARY(type, expr)                                                                       \
    {                                                                                            \
        int i = elementwise_index(n);                                                            \
        if (i < 0) return;                                                                       \
        int ia, ib, ic;                                                                          \
        broadcast_offsets(w, i, ia, ib, ic);                                                     \
        type a = as[ia], b = bs[ib];                                                             \
        ys[i] = (expr);                                                                          \
    }

extern "C" __global__ void add_f32(BINARY_PARAMS(float)) BINARY(float, a + b)
extern "C" __global__ void sub_f32(BINARY_PARAMS(float)) BINARY(float, a - b)
extern "C" __global__ void mul_f32(BINARY_PARAMS(float)) BINARY(float, a * b)
extern "C" __global__ void div_f32(BINARY_PARAMS(float)) BINARY(float, a / b)
extern "C" __global__ void pow_f32(BINARY_PARAMS(float)) BINARY(float, powf(a, b))   // C99 powf, as the CPU's: pow(x, 0) = 1, pow(-8, 1/3) = NaN
extern "C" __global__ void maximum_f32(BINARY_PARAMS(float)) BINARY(float, elementwise_maximum(a, b))
extern "C" __global__ void minimum_f32(BINARY_PARAMS(float)) BINARY(float, elementwise_minimum(a, b))
extern "C" __global__ void squared_difference_f32(BINARY_PARAMS(float)) BINARY(float, (a - b) * (a - b))
extern "C" __global__ void relu_grad_f32(BINARY_PARAMS(float)) BINARY(float, b > 0.0f ? a : 0.0f)   // a = dout, b = the ReLU's input x

// Int32 keeps to the arithmetic of counters and indices, which wraps on overflow as the CPU's unchecked ints do.
// Division is left out: TF's integer division floors, C's truncates, and no graph here divides integers on the device.
#define WRAPPING(op) (int)((unsigned)a op (unsigned)b)
extern "C" __global__ void add_i32(BINARY_PARAMS(int)) BINARY(int, WRAPPING(+))
extern "C" __global__ void sub_i32(BINARY_PARAMS(int)) BINARY(int, WRAPPING(-))
extern "C" __global__ void mul_i32(BINARY_PARAMS(int)) BINARY(int, WRAPPING(*))
extern "C" __global__ void maximum_i32(BINARY_PARAMS(int)) BINARY(int, a > b ? a : b)
extern "C" __global__ void minimum_i32(BINARY_PARAMS(int)) BINARY(int, a < b ? a : b)

// ---- Compare: y = a op b as Bool, for Float32 and Int32 operands ----

#define COMPARE_PARAMS(type) const type* as, const type* bs, bool* ys, int n, Broadcast w
#define COMPARE(op)                                                                              \
    {                                                                                            \
        int i = elementwise_index(n);                                                            \
        if (i < 0) return;                                                                       \
        int ia, ib, ic;                                                                          \
        broadcast_offsets(w, i, ia, ib, ic);                                                     \
        ys[i] = as[ia] op bs[ib];                                                                \
    }

extern "C" __global__ void equal_f32(COMPARE_PARAMS(float)) COMPARE(==)
extern "C" __global__ void not_equal_f32(COMPARE_PARAMS(float)) COMPARE(!=)
extern "C" __global__ void less_f32(COMPARE_PARAMS(float)) COMPARE(<)
extern "C" __global__ void less_equal_f32(COMPARE_PARAMS(float)) COMPARE(<=)
extern "C" __global__ void greater_f32(COMPARE_PARAMS(float)) COMPARE(>)
extern "C" __global__ void greater_equal_f32(COMPARE_PARAMS(float)) COMPARE(>=)
extern "C" __global__ void equal_i32(COMPARE_PARAMS(int)) COMPARE(==)
extern "C" __global__ void not_equal_i32(COMPARE_PARAMS(int)) COMPARE(!=)
extern "C" __global__ void less_i32(COMPARE_PARAMS(int)) COMPARE(<)
extern "C" __global__ void less_equal_i32(COMPARE_PARAMS(int)) COMPARE(<=)
extern "C" __global__ void greater_i32(COMPARE_PARAMS(int)) COMPARE(>)
extern "C" __global__ void greater_equal_i32(COMPARE_PARAMS(int)) COMPARE(>=)

// ---- Where: y = condition ? a : b. The values are moved, never computed with, so one kernel per element
// size serves Float32 and Int32 (b32) and Bool (b8). The condition walks the c strides. ----

template <typename T>
__device__ __forceinline__ void elementwise_where(const bool* condition, const T* as, const T* bs, T* ys, int n, const Broadcast& w)
{
    int i = elementwise_index(n);
    if (i < 0) return;
    int ia, ib, ic;
    broadcast_offsets(w, i, ia, ib, ic);
    ys[i] = condition[ic] ? as[ia] : bs[ib];
}

extern "C" __global__ void where_b32(const bool* condition, const int* as, const int* bs, int* ys, int n, Broadcast w) { elementwise_where(condition, as, bs, ys, n, w); }
extern "C" __global__ void where_b8(const bool* condition, const bool* as, const bool* bs, bool* ys, int n, Broadcast w) { elementwise_where(condition, as, bs, ys, n, w); }

// ---- Cast between Float32, Int32 and Bool ----

// Float to int truncates toward zero and saturates, NaN giving 0: what the CPU's conversion and the GPU's
// cvt.rzi do. Spelled out because in C++ an out-of-range conversion is undefined, and the host emulation
// would produce INT_MIN instead.
__device__ __forceinline__ int elementwise_f32_to_i32(float x)
{
    if (x != x) return 0;
    if (x >= 2147483648.0f) return 2147483647;
    if (x <= -2147483648.0f) return -2147483647 - 1;
    return (int)x;
}

#define CAST_PARAMS(from, to) const from* xs, to* ys, int n
#define CAST(from, expr)                                                    \
    {                                                                       \
        int i = elementwise_index(n);                                       \
        if (i < 0) return;                                                  \
        from x = xs[i];                                                     \
        ys[i] = (expr);                                                     \
    }

extern "C" __global__ void cast_f32_to_i32(CAST_PARAMS(float, int)) CAST(float, elementwise_f32_to_i32(x))
extern "C" __global__ void cast_i32_to_f32(CAST_PARAMS(int, float)) CAST(int, (float)x)
extern "C" __global__ void cast_f32_to_bool(CAST_PARAMS(float, bool)) CAST(float, x != 0.0f)   // NaN is true, as on the CPU
extern "C" __global__ void cast_i32_to_bool(CAST_PARAMS(int, bool)) CAST(int, x != 0)
extern "C" __global__ void cast_bool_to_f32(CAST_PARAMS(bool, float)) CAST(bool, x ? 1.0f : 0.0f)
extern "C" __global__ void cast_bool_to_i32(CAST_PARAMS(bool, int)) CAST(bool, x ? 1 : 0)

// ---- Fill: every element set to one value, by element size (Float32 passes its bits) ----

extern "C" __global__ void fill_b32(int* ys, int n, int bits)
{
    int i = elementwise_index(n);
    if (i >= 0) ys[i] = bits;
}

extern "C" __global__ void fill_b8(bool* ys, int n, int value)
{
    int i = elementwise_index(n);
    if (i >= 0) ys[i] = value != 0;
}

// ---- AddN: y = x0 + x1 + ... + x(count-1), up to 8 inputs a launch, added left to right as the CPU does.
// The host chains launches for more, passing y as x0 of the next; x0 may therefore be y itself. ----

#define ADD_N_MAX 8

extern "C" __global__ void add_n_f32(const float* x0, const float* x1, const float* x2, const float* x3,
                                     const float* x4, const float* x5, const float* x6, const float* x7,
                                     int count, float* ys, int n)
{
    int i = elementwise_index(n);
    if (i < 0) return;
    const float* xs[ADD_N_MAX] = { x0, x1, x2, x3, x4, x5, x6, x7 };
    float sum = x0[i];
#pragma unroll
    for (int k = 1; k < ADD_N_MAX; k++)
        if (k < count) sum += xs[k][i];
    ys[i] = sum;
}

// The stamping macros are this file's own; later files may use the names.
#undef UNARY_PARAMS
#undef UNARY
#undef BINARY_PARAMS
#undef BINARY
#undef COMPARE_PARAMS
#undef COMPARE
#undef CAST_PARAMS
#undef CAST
#undef ADD_N_MAX
