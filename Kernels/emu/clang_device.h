// The CUDA declarations the kernels may use (the allowed-features list of Kernels/common.cuh), for a
// device-only compile by clang-14 without the CUDA toolkit. scripts/build-emu.sh compiles every kernel with
// it, so that code NVRTC would reject fails on a machine without a GPU too. It declares no more than the
// list: a kernel that uses anything else fails here, as it would in the emulator (cuda_emu.h).
#pragma once

#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#define __shared__ __attribute__((shared))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
#define __align__(n) __attribute__((aligned(n)))

// threadIdx, blockIdx, blockDim, gridDim as clang's CUDA headers define them (a compiler header, not the toolkit's).
#include <__clang_cuda_builtin_vars.h>

struct __attribute__((aligned(16))) float4
{
    float x, y, z, w;
};

struct __attribute__((aligned(8))) float2
{
    float x, y;
};

__device__ __forceinline__ float4 make_float4(float x, float y, float z, float w)
{
    float4 r;
    r.x = x;
    r.y = y;
    r.z = z;
    r.w = w;
    return r;
}

__device__ __forceinline__ float2 make_float2(float x, float y)
{
    float2 r;
    r.x = x;
    r.y = y;
    return r;
}

// __syncthreads() is a clang builtin for NVPTX.

__device__ __forceinline__ float __int_as_float(int i) { return __builtin_bit_cast(float, i); }
__device__ __forceinline__ int __float_as_int(float f) { return __builtin_bit_cast(int, f); }

__device__ __forceinline__ float atomicAdd(float* p, float v) { return __nvvm_atom_add_gen_f(p, v); }
__device__ __forceinline__ int atomicAdd(int* p, int v) { return __nvvm_atom_add_gen_i(p, v); }

__device__ __forceinline__ int min(int a, int b) { return a < b ? a : b; }
__device__ __forceinline__ int max(int a, int b) { return a > b ? a : b; }
// As in the emulator: floats take fminf/fmaxf, so min(x, 0.5f) is an error rather than a truncation.
__device__ int min(float, float) = delete;
__device__ int max(float, float) = delete;
__device__ int min(double, double) = delete;
__device__ int max(double, double) = delete;

// libdevice's names would resolve these on the GPU; declared only, since -S stops before linking.
extern "C" __device__ float expf(float);
extern "C" __device__ float logf(float);
extern "C" __device__ float log1pf(float);
extern "C" __device__ float expm1f(float);
extern "C" __device__ float sqrtf(float);
extern "C" __device__ float rsqrtf(float);
extern "C" __device__ float tanhf(float);
extern "C" __device__ float fabsf(float);
extern "C" __device__ float fmaxf(float, float);
extern "C" __device__ float fminf(float, float);
extern "C" __device__ float floorf(float);
extern "C" __device__ float powf(float, float);
extern "C" __device__ float sinf(float);
extern "C" __device__ float cosf(float);
extern "C" __device__ float copysignf(float, float);
extern "C" __device__ float tanf(float);
extern "C" __device__ float atanf(float);
extern "C" __device__ float rintf(float);
