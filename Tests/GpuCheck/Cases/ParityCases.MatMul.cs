namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    public static IEnumerable<ParityCase> MatMul()
    {
        yield break;
    }
}
