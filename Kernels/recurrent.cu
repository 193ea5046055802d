// Recurrent cells: one fused LSTM step and its gradient (IBackend.LstmBlockCell <-> lstm_block_cell_f32), and one
// fused GRU step and its gradient, each two kernels around a product (IBackend.GruBlockCell <-> gru_block_cell_*_f32).
// z is (batch, 4 * units), the gate pre-activations in the blocks i, f, g, o; c_prev, c, h, dc, dh, dc_prev are
// (batch, units). One thread per (row, unit): it reads that unit's four pre-activations, which sit units apart.
// A null c_prev is the zero state (the first step of an unroll); dc_prev is then null too.

__device__ __forceinline__ float recurrent_sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

// c = f c_prev + i g; h = o tanh(c).
extern "C" __global__ void lstm_block_cell_f32(const float* __restrict__ z, const float* __restrict__ c_prev,
                                               float* __restrict__ c, float* __restrict__ h, int rows, int units)
{
    unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= (unsigned)(rows * units)) return;
    int row = k / units, unit = k - row * units;
    const float* gates = z + row * 4 * units + unit;
    float i = recurrent_sigmoid(gates[0]);
    float f = recurrent_sigmoid(gates[units]);
    float g = tanhf(gates[2 * units]);
    float o = recurrent_sigmoid(gates[3 * units]);
    float cell = i * g;
    if (c_prev != 0) cell += f * c_prev[k];
    c[k] = cell;
    h[k] = o * tanhf(cell);
}

// With dc_total = dc + dh o (1 - tanh^2(c)): dz_i = dc_total g i (1 - i), dz_f = dc_total c_prev f (1 - f),
// dz_g = dc_total i (1 - g^2), dz_o = dh tanh(c) o (1 - o), dc_prev = dc_total f; the gates and c recomputed from z.
extern "C" __global__ void lstm_block_cell_grad_f32(const float* __restrict__ z, const float* __restrict__ c_prev,
                                                    const float* __restrict__ dc, const float* __restrict__ dh,
                                                    float* __restrict__ dz, float* __restrict__ dc_prev, int rows, int units)
{
    unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= (unsigned)(rows * units)) return;
    int row = k / units, unit = k - row * units;
    int at = row * 4 * units + unit;
    float i = recurrent_sigmoid(z[at]);
    float f = recurrent_sigmoid(z[at + units]);
    float g = tanhf(z[at + 2 * units]);
    float o = recurrent_sigmoid(z[at + 3 * units]);
    float previous = c_prev != 0 ? c_prev[k] : 0.0f;
    float t = tanhf(f * previous + i * g);
    float dh_k = dh[k];
    float dc_total = dc[k] + dh_k * o * (1.0f - t * t);
    dz[at] = dc_total * g * i * (1.0f - i);
    dz[at + units] = dc_total * previous * f * (1.0f - f);
    dz[at + 2 * units] = dc_total * i * (1.0f - g * g);
    dz[at + 3 * units] = dh_k * t * o * (1.0f - o);
    if (dc_prev != 0) dc_prev[k] = dc_total * f;
}

// GRU: gates is (batch, 2 * units), the pre-activations of z then r; every other tensor is (batch, units). A null h_prev
// is the zero state. The product (r h_prev) U_h between the two kernels is the backend's sgemm.

// z = sigmoid(gates_z), r = sigmoid(gates_r) and, with h_prev, r h_prev into rh (the product's left operand).
extern "C" __global__ void gru_block_cell_gates_f32(const float* __restrict__ gates, const float* __restrict__ h_prev,
                                                    float* __restrict__ z, float* __restrict__ r, float* __restrict__ rh,
                                                    int rows, int units)
{
    unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= (unsigned)(rows * units)) return;
    int row = k / units, unit = k - row * units;
    const float* pre = gates + row * 2 * units + unit;
    z[k] = recurrent_sigmoid(pre[0]);
    float reset = recurrent_sigmoid(pre[units]);
    r[k] = reset;
    if (h_prev != 0) rh[k] = reset * h_prev[k];
}

// c = tanh(c_bar_x + product) (without h_prev there is no product: c = tanh(c_bar_x)), h = z h_prev + (1 - z) c.
// product may be c itself: each thread reads its element before writing it.
extern "C" __global__ void gru_block_cell_output_f32(const float* __restrict__ c_bar_x, const float* __restrict__ h_prev,
                                                     const float* __restrict__ z, const float* product,
                                                     float* c, float* __restrict__ h, int rows, int units)
{
    unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= (unsigned)(rows * units)) return;
    float candidate = tanhf(h_prev != 0 ? c_bar_x[k] + product[k] : c_bar_x[k]);
    float update = z[k];
    c[k] = candidate;
    h[k] = h_prev != 0 ? candidate + update * (h_prev[k] - candidate) : candidate - update * candidate;
}

// dc_bar = dh (1 - z) (1 - c^2) and dz_bar = dh (h_prev - c) z (1 - z) into the z block of d_gates; from the zero
// state (h_prev null) h_prev counts as 0 and the r block is 0, since r plays no part.
extern "C" __global__ void gru_block_cell_grad_output_f32(const float* __restrict__ z, const float* __restrict__ c,
                                                          const float* __restrict__ dh, const float* __restrict__ h_prev,
                                                          float* __restrict__ d_gates, float* __restrict__ d_c_bar,
                                                          int rows, int units)
{
    unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= (unsigned)(rows * units)) return;
    int row = k / units, unit = k - row * units;
    float update = z[k], candidate = c[k], dh_k = dh[k];
    float previous = h_prev != 0 ? h_prev[k] : 0.0f;
    d_c_bar[k] = dh_k * (1.0f - update) * (1.0f - candidate * candidate);
    d_gates[row * 2 * units + unit] = dh_k * (previous - candidate) * update * (1.0f - update);
    if (h_prev == 0) d_gates[row * 2 * units + units + unit] = 0.0f;
}

// With d_rh = d_c_bar U_h^T already in d_h_prev: dr_bar = d_rh h_prev r (1 - r) into the r block of d_gates, and
// d_h_prev = dh z + d_rh r, each thread reading its element of d_h_prev before writing it.
extern "C" __global__ void gru_block_cell_grad_reset_f32(const float* __restrict__ z, const float* __restrict__ r,
                                                         const float* __restrict__ dh, const float* __restrict__ h_prev,
                                                         float* __restrict__ d_gates, float* __restrict__ d_h_prev,
                                                         int rows, int units)
{
    unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= (unsigned)(rows * units)) return;
    int row = k / units, unit = k - row * units;
    float d_rh = d_h_prev[k], reset = r[k];
    d_gates[row * 2 * units + units + unit] = d_rh * h_prev[k] * reset * (1.0f - reset);
    d_h_prev[k] = dh[k] * z[k] + d_rh * reset;
}
