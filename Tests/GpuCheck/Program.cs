using GraphDL.Backends.Cuda;
using GraphDL.GpuCheck;

// Runs every kernel parity case on the GPU (or, with --emulated, the host emulation) and prints one line each.
bool emulated = args.Contains("--emulated");
var backend = emulated ? CudaBackend.Emulated : CudaBackend.Gpu;
if (backend is null)
{
    Console.Error.WriteLine($"No GPU: {CudaBackend.GpuUnavailableReason}");
    return 2;
}
Console.WriteLine($"Kernel parity on {backend.Name}");
int failed = 0, passed = 0;
foreach (var c in ParityCases.All)
{
    string? mismatch;
    try
    {
        mismatch = c.Mismatch(backend);
    }
    catch (Exception e)
    {
        mismatch = $"{e.GetType().Name}: {e.Message}";
    }
    if (mismatch is null) passed++;
    else failed++;
    Console.WriteLine($"{(mismatch is null ? "pass" : "FAIL")}  {c}{(mismatch is null ? "" : "  " + mismatch)}");
}
Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
