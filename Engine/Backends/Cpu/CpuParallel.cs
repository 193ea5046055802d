using System.Runtime.ExceptionServices;

namespace GraphDL.Backends.Cpu;

/// <summary>A piece of elementwise work over the index range [start, end), written as a struct so that no closure is allocated.</summary>
internal interface IRangeJob
{
    void Run(int start, int end);
}

/// <summary>
/// Runs a large elementwise job on two cores: the job is cut into chunks that the calling thread and GraphDL's helper
/// thread take in turn from a shared counter, and the caller waits only for a chunk the helper has already begun.
/// A helper that starts late (on a busy machine it waits for a core for milliseconds), or is still busy with another
/// caller's job, finds nothing left and the caller has done the whole job, at one core's speed, instead of sitting idle
/// until the late thread has done its half. Each job type keeps one reusable worker per calling thread, and the helper is
/// one thread started at the first split and kept, so a split allocates nothing and a training step stays allocation-free.
/// (The shared thread pool retires its idle threads after 20 s and starts new ones from the thread that queues work,
/// which then allocates: tests that counted a step's bytes saw 136-7,712 of them now and then.) Jobs below
/// <see cref="MinimumLength"/> run on the calling thread: waking the helper costs microseconds.
/// </summary>
internal static class CpuParallel
{
    /// <summary>
    /// Elements below which a job is not split. Measured here (2 cores, float32): a product of 1,254,400
    /// elements took 440 us on one core and 218-250 us split, exp 620 us and 360-410 us; at 524,288 the
    /// product went from 178-194 to 84-130 us; below about 131,072 waking the second thread eats the gain.
    /// </summary>
    public const int MinimumLength = 1 << 17;

    /// <summary>
    /// Elements per chunk: a multiple of 64, so that no chunk starts in the middle of a cache line, small enough that
    /// the caller's wait for a begun chunk is short (tens of microseconds), large enough that taking one costs nothing.
    /// </summary>
    public const int ChunkLength = 1 << 15;

    /// <summary>Runs <paramref name="job"/> over [0, <paramref name="length"/>), on two cores when it is large enough and a second core exists.</summary>
    public static void Run<TJob>(in TJob job, int length) where TJob : struct, IRangeJob
    {
        if (length < MinimumLength || Environment.ProcessorCount < 2)
        {
            job.Run(0, length);
            return;
        }
        Worker<TJob>.ForThisThread.Run(job, length, ChunkLength);
    }

    /// <summary>
    /// Runs <paramref name="job"/> over [0, <paramref name="length"/>) in chunks of <paramref name="chunkLength"/>, which
    /// the two cores take in turn: for work whose chunks are large and few (a convolution's or a pooling's groups of
    /// images), where the caller has already judged that a second core pays.
    /// </summary>
    public static void RunChunks<TJob>(in TJob job, int length, int chunkLength) where TJob : struct, IRangeJob
    {
        if (length <= chunkLength || Environment.ProcessorCount < 2)
        {
            for (int start = 0; start < length; start += chunkLength) job.Run(start, Math.Min(start + chunkLength, length));
            return;
        }
        Worker<TJob>.ForThisThread.Run(job, length, chunkLength);
    }

    /// <summary>A worker whose open job the helper thread can join.</summary>
    private interface IHelpable
    {
        void Execute();
    }

    /// <summary>
    /// The second core's thread. It takes one offered worker at a time from a single slot; an offer made while the slot is
    /// full is dropped, and that caller does its job alone. It runs in the background for the life of the process.
    /// </summary>
    private static class Helper
    {
        private static readonly ManualResetEventSlim Offered = new(false, spinCount: 100);
        private static IHelpable? _slot;
        private static Thread? _thread;
        private static readonly Lock Starting = new();

        /// <summary>Puts <paramref name="worker"/> in the slot for the helper to take; false when the slot was full.</summary>
        public static bool Offer(IHelpable worker)
        {
            if (_thread is null) Start();
            if (Interlocked.CompareExchange(ref _slot, worker, null) is not null) return false;
            Offered.Set();
            return true;
        }

        private static void Start()
        {
            lock (Starting)
            {
                if (_thread is not null) return;
                var thread = new Thread(Loop) { IsBackground = true, Name = "GraphDL CPU helper" };
                thread.Start();
                _thread = thread;
            }
        }

        private static void Loop()
        {
            while (true)
            {
                Offered.Wait();
                // Reset before emptying the slot: an offer made after the slot is emptied sets the event again.
                Offered.Reset();
                Interlocked.Exchange(ref _slot, null)?.Execute();
            }
        }
    }

    /// <remarks>
    /// <c>_state</c> holds the job's generation (high 32 bits) and the next chunk to take (low 32 bits); a chunk is taken
    /// by a compare-and-swap of the whole, so a helper that comes late from an earlier job cannot take a chunk of a newer
    /// one by mistake. The caller writes a job's fields only while no helper is inside <see cref="Help"/> (it waited for
    /// <c>_active</c> to drop to 0 after closing the previous job), and publishes them with the new state.
    /// </remarks>
    private sealed class Worker<TJob> : IHelpable where TJob : struct, IRangeJob
    {
        private const int Closed = int.MaxValue;

        [ThreadStatic] private static Worker<TJob>? _forThisThread;

        private TJob _job;
        private int _length, _chunkLength, _chunks, _generation;
        private long _state = Closed;
        private int _active;    // helpers inside Help
        private int _queued;    // 1 while this worker waits in the helper's slot
        private Exception? _error;

        public static Worker<TJob> ForThisThread => _forThisThread ??= new Worker<TJob>();

        public void Run(in TJob job, int length, int chunkLength)
        {
            _job = job;
            _length = length;
            _chunkLength = chunkLength;
            _chunks = (length + chunkLength - 1) / chunkLength;
            _error = null;
            _generation++;
            Interlocked.Exchange(ref _state, (long)_generation << 32);
            // One offer at a time: a worker the helper has not taken yet helps with whatever job is open when it does.
            if (Interlocked.Exchange(ref _queued, 1) == 0 && !Helper.Offer(this)) Volatile.Write(ref _queued, 0);
            try
            {
                Help();
            }
            finally
            {
                // Every chunk is taken: close the job, then wait for the chunks a helper has begun, whose buffers
                // must not be used or reused before they are done.
                Interlocked.Exchange(ref _state, ((long)_generation << 32) | Closed);
                var spin = new SpinWait();
                while (Volatile.Read(ref _active) != 0) spin.SpinOnce(sleep1Threshold: -1);
                _job = default;
            }
            if (_error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        }

        public void Execute()
        {
            Volatile.Write(ref _queued, 0);
            Interlocked.Increment(ref _active);
            try
            {
                Help();
            }
            finally
            {
                Interlocked.Decrement(ref _active);
            }
        }

        /// <summary>Takes chunks of the open job and runs them until none is left.</summary>
        private void Help()
        {
            while (true)
            {
                long state = Volatile.Read(ref _state);
                int next = (int)state;
                if (next >= _chunks) return;    // every chunk taken, or the job closed
                if (Interlocked.CompareExchange(ref _state, state + 1, state) != state) continue;
                int start = next * _chunkLength;
                try
                {
                    _job.Run(start, Math.Min(start + _chunkLength, _length));
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
            }
        }
    }
}
