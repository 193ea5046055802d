namespace GraphDL.GpuCheck;

/// <summary>Every parity case, by family (one file per family, beside the CudaBackend partial it checks).</summary>
public static partial class ParityCases
{
    public static IEnumerable<ParityCase> All =>
        [.. MatMul(), .. Conv(), .. Elementwise(), .. Reduce(), .. NN(), .. Train(), .. Array(), .. BatchMatMul(), .. Recurrent()];
}
