// Recurrent cells: one fused LSTM step and its gradient (IBackend.LstmBlockCell <-> lstm_block_cell_f32).
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
