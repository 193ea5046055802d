// The launch machinery of the host emulation: a pool of OS threads, one per GPU thread of a block, that
// run a grid block by block, the block barrier behind __syncthreads(), and the C entry points the C#
// EmulatedDevice calls (graphdl_emu_launch and friends).
//
// A kernel that never reaches __syncthreads() (graphdl_emu_barrier_free, from the call graph) runs "free":
// each thread goes through all the blocks without waiting for the others at the end of each block. That is
// safe because without a barrier no thread can see another thread's shared-memory writes anyway, and it is
// what makes elementwise kernels fast: a block-end barrier puts all 256 threads to sleep and wakes them.
// GRAPHDL_EMU_BLOCK_BY_BLOCK=1 in the environment turns this off.
//
// Threads sleep on Linux futexes rather than a mutex and condition variable: a barrier of 256 threads on
// a machine with two cores wakes every waiter at once, and a shared mutex would make them queue again.
#include "emu_abi.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#define GRAPHDL_EMU_EXPORT extern "C" __attribute__((visibility("default")))

namespace
{

enum ErrorCode
{
    Ok = 0,
    UnknownKernel = 1,
    WrongArgumentCount = 2,
    BadDimensions = 3,
    KernelFailed = 4,
    InternalError = 5,
};

// ---- futex ------------------------------------------------------------------------------------------------

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));

void futex_wait(std::atomic<uint32_t>& word, uint32_t seen)
{
    // Spurious returns (EINTR, EAGAIN when the word already moved on) are fine: callers re-check in a loop.
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, seen, nullptr, nullptr, 0);
}

void futex_wake_all(std::atomic<uint32_t>& word)
{
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

void wait_while_equal(std::atomic<uint32_t>& word, uint32_t value)
{
    while (word.load(std::memory_order_acquire) == value) futex_wait(word, value);
}

// ---- errors -----------------------------------------------------------------------------------------------

std::string basename_of(const char* path)
{
    const char* slash = std::strrchr(path, '/');
    return slash ? slash + 1 : path;
}

std::string coords_text(const unsigned (&v)[3], const unsigned (&dim)[3])
{
    if (dim[1] == 1 && dim[2] == 1) return std::to_string(v[0]);
    return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ", " + std::to_string(v[2]) + ")";
}

// Thrown out of __syncthreads() when the threads of a block meet at different barriers; the worker
// catches it like any exception from a kernel.
struct BarrierDivergence : std::exception
{
    explicit BarrierDivergence(std::string text) : message(std::move(text)) {}
    const char* what() const noexcept override { return message.c_str(); }
    std::string message;
};

// ---- the block barrier ------------------------------------------------------------------------------------

struct BarrierSite
{
    const char* file;
    int line;

    bool same_as(const BarrierSite& other) const
    {
        return line == other.line && (file == other.file || std::strcmp(file, other.file) == 0);
    }
};

// A barrier over the threads of one block with CUDA's rule for threads that have left the kernel: a
// returned thread counts as arrived at every later barrier of its block. It also ends each block: no
// thread starts the next block (and the shared memory is not reset) until every thread has returned.
class BlockBarrier
{
public:
    void reset(unsigned threads)
    {
        threads_ = threads;
        state_.store(0, std::memory_order_relaxed);
        site_.store(nullptr, std::memory_order_relaxed);
    }

    // __syncthreads(). `me` must stay valid until the barrier opens (it lives on the caller's stack).
    // Returns false, with the first thread's site in `other`, when this thread met the others at a
    // different barrier.
    bool sync(const BarrierSite* me, BarrierSite* other)
    {
        uint32_t generation = barrier_generation_.load(std::memory_order_acquire);
        const BarrierSite* first = nullptr;
        bool same = site_.compare_exchange_strong(first, me, std::memory_order_acq_rel) || first->same_as(*me);
        // Copied now: the first thread waits for this one, so its site is still alive.
        if (!same) *other = *first;
        uint64_t state = state_.fetch_add(1, std::memory_order_acq_rel) + 1;
        if (arrived(state) + exited(state) == threads_)
            open(arrived(state));
        else
            wait_while_equal(barrier_generation_, generation);
        return same;
    }

    // The calling thread has returned from the kernel for this block. Waits until all have; the last one
    // runs `block_done` (before anyone may start the next block).
    template <typename Done>
    void exit_block(Done&& block_done)
    {
        uint32_t generation = block_generation_.load(std::memory_order_acquire);
        uint64_t state = state_.fetch_add(uint64_t{1} << 32, std::memory_order_acq_rel) + (uint64_t{1} << 32);
        if (exited(state) == threads_)
        {
            state_.store(0, std::memory_order_relaxed);
            site_.store(nullptr, std::memory_order_relaxed);
            block_done();
            block_generation_.fetch_add(1, std::memory_order_release);
            futex_wake_all(block_generation_);
            return;
        }
        // This exit may complete a barrier the others are already waiting at.
        if (arrived(state) > 0 && arrived(state) + exited(state) == threads_) open(arrived(state));
        wait_while_equal(block_generation_, generation);
    }

private:
    static unsigned arrived(uint64_t state) { return static_cast<unsigned>(state); }
    static unsigned exited(uint64_t state) { return static_cast<unsigned>(state >> 32); }

    // Called by the thread that completed the barrier: every other thread of the block is waiting or
    // gone, so nothing else touches the state until the generation moves.
    void open(unsigned arrivals)
    {
        state_.fetch_sub(arrivals, std::memory_order_relaxed);
        site_.store(nullptr, std::memory_order_relaxed);
        barrier_generation_.fetch_add(1, std::memory_order_release);
        futex_wake_all(barrier_generation_);
    }

    unsigned threads_ = 0;
    std::atomic<uint64_t> state_{0};  // arrived at the current barrier (low half), returned (high half)
    std::atomic<const BarrierSite*> site_{nullptr};  // where the first thread met the current barrier
    std::atomic<uint32_t> barrier_generation_{0};
    std::atomic<uint32_t> block_generation_{0};
};

// ---- the registry ----------------------------------------------------------------------------------------

struct Kernel
{
    const char* name;
    int arity;
    graphdl_emu_invoker invoke;
    bool barrier_free;  // runs free: no thread waits for the others at the end of a block
};

bool listed_barrier_free(const char* name)
{
    for (const char* const* n = graphdl_emu_barrier_free; *n; ++n)
        if (std::strcmp(*n, name) == 0) return true;
    return false;
}

const std::vector<Kernel>& kernels()
{
    static const std::vector<Kernel> list = [] {
        std::vector<Kernel> found;
        graphdl_emu_list_kernels(
            [](void* context, const char* name, int arity, graphdl_emu_invoker invoke) {
                static_cast<std::vector<Kernel>*>(context)->push_back({name, arity, invoke, listed_barrier_free(name)});
            },
            &found);
        const char* value = std::getenv("GRAPHDL_EMU_BLOCK_BY_BLOCK");
        if (value && *value && std::string_view(value) != "0")
            for (Kernel& k : found) k.barrier_free = false;
        return found;
    }();
    return list;
}

const Kernel* find_kernel(const char* name)
{
    for (const Kernel& k : kernels())
        if (std::strcmp(k.name, name) == 0) return &k;
    return nullptr;
}

// ---- launches ---------------------------------------------------------------------------------------------

struct Launch
{
    const Kernel* kernel = nullptr;
    void** args = nullptr;
    unsigned grid[3] = {1, 1, 1};
    unsigned block[3] = {1, 1, 1};
    unsigned threads = 0;
    unsigned long long blocks = 0;
    bool free_running = false;  // no barrier: threads do not wait for each other between blocks
    std::atomic<bool> error_pending{false};
    std::atomic<bool> stop{false};
    std::mutex error_mutex;
    std::string error;  // the first failure, empty when none
};

thread_local Launch* t_launch = nullptr;
thread_local BlockBarrier* t_barrier = nullptr;

void poison_shared_memory()
{
    char* start = graphdl_emu_shared_start;
    char* end = graphdl_emu_shared_end;
    if (end > start) std::memset(start, 0xFF, static_cast<size_t>(end - start));
}

void block_coords(unsigned long long linear, const unsigned (&grid)[3], unsigned (&out)[3])
{
    out[0] = static_cast<unsigned>(linear % grid[0]);
    out[1] = static_cast<unsigned>(linear / grid[0] % grid[1]);
    out[2] = static_cast<unsigned>(linear / grid[0] / grid[1]);
}

// The pool: worker i is GPU thread i of every block. Workers live as long as the process (they are
// detached and the pool is never destroyed), so process exit never waits on them.
class Pool
{
public:
    // Runs `launch` to completion on launch.threads workers. Called with the launch mutex held.
    void run(Launch& launch)
    {
        grow(launch.threads);
        barrier_.reset(launch.threads);
        poison_shared_memory();
        launch_ = &launch;
        remaining_.store(launch.threads, std::memory_order_relaxed);
        for (unsigned i = 0; i < launch.threads; ++i)
        {
            workers_[i]->go.fetch_add(1, std::memory_order_release);
            futex_wake_all(workers_[i]->go);
        }
        for (uint32_t left; (left = remaining_.load(std::memory_order_acquire)) != 0;) futex_wait(remaining_, left);
        launch_ = nullptr;
    }

private:
    struct Worker
    {
        std::atomic<uint32_t> go{0};
    };

    void grow(unsigned threads)
    {
        while (workers_.size() < threads)
        {
            auto* worker = new Worker();
            unsigned index = static_cast<unsigned>(workers_.size());
            std::thread(&Pool::work, this, index, worker).detach();  // throws std::system_error on failure
            workers_.push_back(worker);
        }
    }

    void work(unsigned index, Worker* worker)
    {
        t_barrier = &barrier_;
        uint32_t seen = 0;
        for (;;)
        {
            wait_while_equal(worker->go, seen);
            seen = worker->go.load(std::memory_order_acquire);
            run_thread(index, *launch_);
            if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) futex_wake_all(remaining_);
        }
    }

    void run_thread(unsigned index, Launch& launch)
    {
        t_launch = &launch;
        graphdl_emu_coords coords{};
        for (int d = 0; d < 3; ++d)
        {
            coords.block_dim[d] = launch.block[d];
            coords.grid_dim[d] = launch.grid[d];
        }
        coords.thread[0] = index % launch.block[0];
        coords.thread[1] = index / launch.block[0] % launch.block[1];
        coords.thread[2] = index / launch.block[0] / launch.block[1];
        if (launch.free_running)
        {
            for (unsigned long long b = 0; b < launch.blocks && !launch.stop.load(std::memory_order_relaxed); ++b)
            {
                block_coords(b, launch.grid, coords.block);
                run_block(launch, coords);
            }
            t_launch = nullptr;
            return;
        }
        for (unsigned long long b = 0; b < launch.blocks; ++b)
        {
            block_coords(b, launch.grid, coords.block);
            run_block(launch, coords);
            barrier_.exit_block([&] {
                poison_shared_memory();
                if (launch.error_pending.load(std::memory_order_relaxed)) launch.stop.store(true, std::memory_order_relaxed);
            });
            // Every thread reads the same stop value here (the last thread set it before opening the block
            // barrier), so all of them leave after the same block.
            if (launch.stop.load(std::memory_order_relaxed)) break;
        }
        t_launch = nullptr;
    }

    // One GPU thread of one block.
    static void run_block(Launch& launch, const graphdl_emu_coords& coords)
    {
        try
        {
            launch.kernel->invoke(launch.args, &coords);
        }
        catch (const std::exception& e)
        {
            fail(launch, coords, e.what());
        }
        catch (...)
        {
            fail(launch, coords, "an exception of unknown type");
        }
    }

    static void fail(Launch& launch, const graphdl_emu_coords& c, const char* what)
    {
        std::lock_guard lock(launch.error_mutex);
        launch.error_pending.store(true, std::memory_order_relaxed);
        // Free-running threads stop on their own; block by block, the last thread of the block decides.
        if (launch.free_running) launch.stop.store(true, std::memory_order_relaxed);
        if (!launch.error.empty()) return;
        launch.error = std::string("kernel ") + launch.kernel->name + " failed in block " + coords_text(c.block, c.grid_dim) +
                       ", thread " + coords_text(c.thread, c.block_dim) + ": " + what;
    }

    std::vector<Worker*> workers_;
    BlockBarrier barrier_;
    Launch* launch_ = nullptr;
    std::atomic<uint32_t> remaining_{0};
};

std::mutex g_launch_mutex;  // launches run one at a time: the shared memory and the pool are global
Pool* g_pool = nullptr;
thread_local std::string g_last_error;  // per calling thread, as errno

int fail_with(int code, std::string message)
{
    g_last_error = std::move(message);
    return code;
}

std::string dims_text(unsigned x, unsigned y, unsigned z)
{
    return "(" + std::to_string(x) + ", " + std::to_string(y) + ", " + std::to_string(z) + ")";
}

int launch(const char* name, const unsigned (&grid)[3], const unsigned (&block)[3], void** args, int argCount)
{
    if (!name) return fail_with(UnknownKernel, "no kernel name was given");
    const Kernel* kernel = find_kernel(name);
    if (!kernel)
        return fail_with(UnknownKernel, std::string("no kernel named '") + name + "' in the emulator library (" +
                                            std::to_string(kernels().size()) +
                                            " kernels; a new .cu file or kernel needs `bash scripts/build-emu.sh`)");
    std::string where = std::string("kernel ") + name + ": ";
    if (argCount != kernel->arity)
        return fail_with(WrongArgumentCount, where + "expects " + std::to_string(kernel->arity) + " arguments, " +
                                                 std::to_string(argCount) + " given");
    if (argCount > 0 && !args) return fail_with(WrongArgumentCount, where + "the argument array is null");
    for (int i = 0; i < argCount; ++i)
        if (!args[i]) return fail_with(WrongArgumentCount, where + "argument " + std::to_string(i) + " is a null pointer to its value");
    std::string g = dims_text(grid[0], grid[1], grid[2]), b = dims_text(block[0], block[1], block[2]);
    if (grid[0] == 0 || grid[1] == 0 || grid[2] == 0) return fail_with(BadDimensions, where + "grid " + g + " has a zero dimension");
    if (block[0] == 0 || block[1] == 0 || block[2] == 0) return fail_with(BadDimensions, where + "block " + b + " has a zero dimension");
    unsigned long long threads = 1ull * block[0] * block[1] * block[2];
    if (threads > 1024) return fail_with(BadDimensions, where + "block " + b + " has " + std::to_string(threads) + " threads, more than 1024");
    if (block[2] > 64) return fail_with(BadDimensions, where + "block " + b + " is deeper than 64 in z");
    if (grid[0] > 2147483647u || grid[1] > 65535 || grid[2] > 65535)
        return fail_with(BadDimensions, where + "grid " + g + " exceeds (2147483647, 65535, 65535)");

    Launch run;
    run.kernel = kernel;
    run.args = args;
    for (int d = 0; d < 3; ++d)
    {
        run.grid[d] = grid[d];
        run.block[d] = block[d];
    }
    run.threads = static_cast<unsigned>(threads);
    run.blocks = 1ull * grid[0] * grid[1] * grid[2];
    run.free_running = kernel->barrier_free;
    try
    {
        if (!g_pool) g_pool = new Pool();
        g_pool->run(run);
    }
    catch (const std::exception& e)
    {
        return fail_with(InternalError, where + "could not start its threads: " + e.what());
    }
    if (!run.error.empty()) return fail_with(KernelFailed, run.error);
    g_last_error.clear();
    return Ok;
}

}  // namespace

extern "C" void graphdl_emu_syncthreads(const char* file, int line)
{
    BlockBarrier* barrier = t_barrier;
    if (!barrier || !t_launch) return;  // called outside a launch (never from a kernel)
    if (t_launch->free_running)
        throw BarrierDivergence("it reached __syncthreads() at " + basename_of(file) + ":" + std::to_string(line) +
                                " although the call graph showed no path there (Kernels/emu/gen_barrier_free.cmake); "
                                "GRAPHDL_EMU_BLOCK_BY_BLOCK=1 works around this emulator bug");
    BarrierSite me{file, line};
    BarrierSite other{};
    if (!barrier->sync(&me, &other))
        throw BarrierDivergence("threads of the block met at different __syncthreads(), at " + basename_of(other.file) + ":" +
                                std::to_string(other.line) + " and at " + basename_of(file) + ":" + std::to_string(line));
}

GRAPHDL_EMU_EXPORT int graphdl_emu_launch(const char* kernel, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                                          unsigned by, unsigned bz, void** args, int argCount)
{
    std::lock_guard lock(g_launch_mutex);
    try
    {
        return launch(kernel, {gx, gy, gz}, {bx, by, bz}, args, argCount);
    }
    catch (const std::exception& e)
    {
        return fail_with(InternalError, std::string("the emulator failed: ") + e.what());
    }
}

GRAPHDL_EMU_EXPORT const char* graphdl_emu_last_error(void)
{
    return g_last_error.c_str();
}

GRAPHDL_EMU_EXPORT int graphdl_emu_kernel_count(void)
{
    std::lock_guard lock(g_launch_mutex);
    return static_cast<int>(kernels().size());
}

GRAPHDL_EMU_EXPORT const char* graphdl_emu_kernel_name(int index)
{
    std::lock_guard lock(g_launch_mutex);
    return index >= 0 && static_cast<size_t>(index) < kernels().size() ? kernels()[static_cast<size_t>(index)].name : nullptr;
}
