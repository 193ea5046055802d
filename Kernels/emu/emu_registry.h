// The tail of the kernel translation unit: one registry entry per kernel, generated from the
// `extern "C" __global__ void name(` lines of the .cu files (kernel_registry.inc, written by
// gen_sources.cmake), so that a new kernel needs no registration.
#pragma once

#include "emu_abi.h"

template <int... I>
struct graphdl_emu_seq
{
};

// GCC's builtin behind std::make_integer_sequence; the kernel unit includes no library header.
template <int N>
using graphdl_emu_make_seq = graphdl_emu_seq<__integer_pack(N)...>;

// Parameter types come from the kernel's own signature, so args[i] is read as exactly the C type the
// kernel declares; top-level const and __restrict__ are not part of the function type.
template <typename... P, int... I>
__attribute__((always_inline)) inline void graphdl_emu_call(void (*kernel)(P...), void** args, graphdl_emu_seq<I...>)
{
    kernel(*static_cast<P*>(args[I])...);
}

template <typename... P>
constexpr int graphdl_emu_arity(void (*)(P...))
{
    return sizeof...(P);
}

template <auto Kernel>
void graphdl_emu_invoke(void** args, const graphdl_emu_coords* c)
{
    graphdl_emu_thread_idx = {c->thread[0], c->thread[1], c->thread[2]};
    graphdl_emu_block_idx = {c->block[0], c->block[1], c->block[2]};
    graphdl_emu_block_dim = {c->block_dim[0], c->block_dim[1], c->block_dim[2]};
    graphdl_emu_grid_dim = {c->grid_dim[0], c->grid_dim[1], c->grid_dim[2]};
    graphdl_emu_call(Kernel, args, graphdl_emu_make_seq<graphdl_emu_arity(Kernel)>{});
}

#define GRAPHDL_EMU_KERNEL(name) add(context, #name, graphdl_emu_arity(&name), &graphdl_emu_invoke<&name>);

extern "C" __attribute__((visibility("hidden"))) void graphdl_emu_list_kernels(
    void (*add)(void* context, const char* name, int arity, graphdl_emu_invoker invoke), void* context)
{
#include "kernel_registry.inc"
}

#undef GRAPHDL_EMU_KERNEL
