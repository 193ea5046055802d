// What the kernel translation unit (cuda_emu.h + the kernels + emu_registry.h) and the runtime
// (emu_runtime.cpp) share. Kept free of library headers because the kernel unit includes it.
#pragma once

// Where one GPU thread stands in a launch: its thread and block index, the block and grid sizes.
struct graphdl_emu_coords
{
    unsigned thread[3];
    unsigned block[3];
    unsigned block_dim[3];
    unsigned grid_dim[3];
};

// Runs one kernel as one GPU thread, taking each parameter from args[i] as cuLaunchKernel does.
typedef void (*graphdl_emu_invoker)(void** args, const graphdl_emu_coords* coords);

// Calls `add` once per kernel with its extern "C" name, parameter count and trampoline. Defined in the kernel
// unit by emu_registry.h as code rather than a table: the unit must have no data besides shared memory.
extern "C" void graphdl_emu_list_kernels(void (*add)(void* context, const char* name, int arity, graphdl_emu_invoker invoke),
                                         void* context);

// The bounds of the kernel unit's shared memory, set by the link (shared_memory.ld).
extern "C" char graphdl_emu_shared_start[];
extern "C" char graphdl_emu_shared_end[];

// The names of the kernels that never reach __syncthreads() (generated from the call graph after the kernel
// unit is compiled, gen_barrier_free.cmake); null-terminated.
extern "C" const char* const graphdl_emu_barrier_free[];
