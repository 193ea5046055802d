namespace GraphDL.Tests;

/// <summary>How many bytes a training step allocates on the calling thread, once it is warm.</summary>
public static class StepAllocations
{
    /// <summary>
    /// The bytes <paramref name="step"/> allocated on this thread in the quietest of three windows of
    /// <paramref name="stepsPerWindow"/> steps (each window after the first only when the one before saw any).
    /// An allocation the step makes shows in every window; a one-off one from elsewhere lands in one window only. Such
    /// one-offs happen early in a process: in about one run in five of ExecutorTests alone, one step of the first test
    /// allocated 6,264 bytes, the second step in one run and the fourth in another, with no collection and no
    /// thread-pool work meanwhile. What allocates them is not found yet; the steps' own code paths are the same each time.
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
