namespace GraphDL.Tests;

/// <summary>How many bytes a training step allocates on the calling thread, once it is warm.</summary>
public static class StepAllocations
{
    /// <summary>
    /// The bytes <paramref name="step"/> allocated on this thread in the quietest of three windows of
    /// <paramref name="stepsPerWindow"/> steps (each window after the first only when the one before saw any).
    /// An allocation the step makes shows in every window. The runtime makes one-off ones on the calling thread while
    /// it finishes compiling a new process's code: in about one run in five of ExecutorTests alone, one step of the
    /// first test allocated 6,264 bytes, no collection and no thread-pool work having run meanwhile, at the second step
    /// in one run and the fourth in another; those land in one window only.
    /// </summary>
    public static long FewestBytesInAWindow(Action step, int stepsPerWindow = 20)
    {
        long fewest = long.MaxValue;
        for (int window = 0; window < 3 && fewest > 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < stepsPerWindow; i++) step();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
