using System.Runtime.ExceptionServices;

namespace GraphDL.Backends.Cpu;

/// <summary>A piece of elementwise work over the index range [start, end), written as a struct so that no closure is allocated.</summary>
internal interface IRangeJob
{
    void Run(int start, int end);
}

/// <summary>
/// Splits a large elementwise job in two: the second half runs on a thread-pool thread while the calling
/// thread does the first, then waits. Each job type keeps one reusable worker per calling thread, so a
/// split allocates nothing and a training step stays allocation-free. Jobs below
/// <see cref="MinimumLength"/> run on the calling thread: waking a pool thread costs microseconds.
/// </summary>
internal static class CpuParallel
{
    /// <summary>
    /// Elements below which a job is not split. Measured here (2 cores, float32): a product of 1,254,400
    /// elements took 440 us on one core and 218-250 us split, exp 620 us and 360-410 us; at 524,288 the
    /// product went from 178-194 to 84-130 us; below about 131,072 waking the second thread eats the gain.
    /// </summary>
    public const int MinimumLength = 1 << 17;

    /// <summary>Runs <paramref name="job"/> over [0, <paramref name="length"/>), in two halves when it is large enough and a second core exists.</summary>
    public static void Run<TJob>(in TJob job, int length) where TJob : struct, IRangeJob
    {
        if (length < MinimumLength || Environment.ProcessorCount < 2)
        {
            job.Run(0, length);
            return;
        }
        Worker<TJob>.ForThisThread.Run(job, length);
    }

    private sealed class Worker<TJob> : IThreadPoolWorkItem where TJob : struct, IRangeJob
    {
        [ThreadStatic] private static Worker<TJob>? _forThisThread;

        private readonly ManualResetEventSlim _done = new();
        private TJob _job;
        private int _start, _end;
        private Exception? _error;

        public static Worker<TJob> ForThisThread => _forThisThread ??= new Worker<TJob>();

        private Worker()
        {
            // A ManualResetEventSlim makes its lock object, and the waiting thread its monitor waiter, the first
            // time a wait has to block rather than spin, which happens only when the pool thread is late. One
            // blocking wait now makes them, so that a split in a steady training step never allocates.
            _done.Wait(millisecondsTimeout: 1);
        }

        public void Run(in TJob job, int length)
        {
            // Split on a 64-element boundary, so that neither half starts in the middle of a cache line.
            int middle = length / 2 & ~63;
            _job = job;
            _start = middle;
            _end = length;
            _error = null;
            _done.Reset();
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            try
            {
                job.Run(0, middle);
            }
            finally
            {
                _done.Wait();   // the other half must finish before its buffers are used or reused
                _job = default;
            }
            if (_error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        }

        public void Execute()
        {
            try
            {
                _job.Run(_start, _end);
            }
            catch (Exception e)
            {
                _error = e;
            }
            finally
            {
                _done.Set();
            }
        }
    }
}
