// The CUDA dialect of Kernels/common.cuh, for g++ (C++20) as host code: the same kernel source runs on CPU
// threads so that its indexing, barriers and bounds can be checked on machines without a GPU.
//
// How a launch maps onto the host (emu_runtime.cpp): one OS thread per GPU thread of a block, the blocks one
// after another. So a function-local static array is exactly one block's shared memory, and __syncthreads()
// is a barrier over the block's threads. Shared memory is refilled with 0xFF bytes (NaN as float) before
// every block, so a kernel that reads shared memory nobody wrote in that block shows NaN, not a stale value.
// (A writable __device__ variable at file scope would be refilled too; the kernels' rules have none.)
//
// Only what the allowed-features list names is defined; anything else (std::, printf, warp intrinsics)
// stays undeclared, so this compiler rejects it as NVRTC would. No library header is included on purpose:
// the kernels see no name they could not see on the GPU.
#pragma once

#define GRAPHDL_EMU 1

// #pragma unroll means nothing to g++; the kernels keep it for the GPU. g++ before 13 ignores this line for
// pragmas, so the build also passes -Wno-unknown-pragmas (add it when compiling with -include by hand).
#pragma GCC diagnostic ignored "-Wunknown-pragmas"

// Left as a token when the registry generator preprocesses the kernels (gen_sources.cmake), so that it
// finds kernels that macros define, too.
#ifndef GRAPHDL_EMU_SCAN
#define __global__
#endif
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// A function-local static is one block's shared memory, as blocks run one at a time. All the writable data
// of the kernel unit is shared memory (kernels have no other statics), so the link puts the unit's .data and
// .bss together (shared_memory.ld) and the runtime refills that range with 0xFF before every block.
#define __shared__ static

// ---- thread and block coordinates -------------------------------------------------------------------------

struct graphdl_emu_uint3
{
    unsigned x, y, z;
};

// Written only by the launch trampoline (emu_registry.h); kernels read them through the const views below,
// so that assigning to threadIdx is an error here as it is under NVRTC.
inline thread_local graphdl_emu_uint3 graphdl_emu_thread_idx;
inline thread_local graphdl_emu_uint3 graphdl_emu_block_idx;
inline thread_local graphdl_emu_uint3 graphdl_emu_block_dim;
inline thread_local graphdl_emu_uint3 graphdl_emu_grid_dim;

#define threadIdx (static_cast<const graphdl_emu_uint3&>(graphdl_emu_thread_idx))
#define blockIdx (static_cast<const graphdl_emu_uint3&>(graphdl_emu_block_idx))
#define blockDim (static_cast<const graphdl_emu_uint3&>(graphdl_emu_block_dim))
#define gridDim (static_cast<const graphdl_emu_uint3&>(graphdl_emu_grid_dim))

// ---- barrier ----------------------------------------------------------------------------------------------

// The block barrier (emu_runtime.cpp). The call site travels with it: threads of one block that meet at
// different __syncthreads() make the launch fail, since CUDA leaves that undefined.
extern "C" void graphdl_emu_syncthreads(const char* file, int line);

// The empty asm statements keep g++ from carrying shared memory in registers across the barrier.
__forceinline__ void graphdl_emu_barrier(const char* file, int line)
{
    __asm__ __volatile__("" ::: "memory");
    graphdl_emu_syncthreads(file, line);
    __asm__ __volatile__("" ::: "memory");
}

#define __syncthreads() graphdl_emu_barrier(__FILE__, __LINE__)

// ---- vector types -----------------------------------------------------------------------------------------

struct alignas(16) float4
{
    float x, y, z, w;
};

struct alignas(8) float2
{
    float x, y;
};

__device__ __forceinline__ float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

__device__ __forceinline__ float2 make_float2(float x, float y) { return float2{x, y}; }

// ---- bit casts and atomics --------------------------------------------------------------------------------

__device__ __forceinline__ float __int_as_float(int i) { return __builtin_bit_cast(float, i); }

__device__ __forceinline__ int __float_as_int(float f) { return __builtin_bit_cast(int, f); }

// Blocks run one at a time, so atomics contend only within a block; relaxed order suffices because the
// barrier and the end of the launch publish every write.
__device__ __forceinline__ int atomicAdd(int* address, int value)
{
    return __atomic_fetch_add(address, value, __ATOMIC_RELAXED);
}

__device__ __forceinline__ float atomicAdd(float* address, float value)
{
    float old;
    __atomic_load(address, &old, __ATOMIC_RELAXED);
    float sum = old + value;
    // The exchange compares bits, so a NaN already in memory does not make this loop forever.
    while (!__atomic_compare_exchange(address, &old, &sum, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        sum = old + value;
    return old;
}

// ---- integer min/max --------------------------------------------------------------------------------------

__device__ __forceinline__ int min(int a, int b) { return a < b ? a : b; }

__device__ __forceinline__ int max(int a, int b) { return a > b ? a : b; }

// Floats go through fminf/fmaxf: without these, min(x, 0.5f) would quietly truncate to int.
int min(float, float) = delete;
int max(float, float) = delete;
int min(double, double) = delete;
int max(double, double) = delete;

// ---- math -------------------------------------------------------------------------------------------------

extern "C"
{
    float expf(float) noexcept;
    float logf(float) noexcept;
    float log1pf(float) noexcept;
    float expm1f(float) noexcept;
    float sqrtf(float) noexcept;
    float tanhf(float) noexcept;
    float fabsf(float) noexcept;
    float fmaxf(float, float) noexcept;
    float fminf(float, float) noexcept;
    float floorf(float) noexcept;
    float powf(float, float) noexcept;
    float sinf(float) noexcept;
    float cosf(float) noexcept;
    float copysignf(float, float) noexcept;
    float tanf(float) noexcept;
    float atanf(float) noexcept;
    float rintf(float) noexcept;
}

__device__ __forceinline__ float rsqrtf(float x) { return 1.0f / sqrtf(x); }
