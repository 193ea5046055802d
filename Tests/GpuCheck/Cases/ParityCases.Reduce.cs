namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    public static IEnumerable<ParityCase> Reduce()
    {
        yield break;
    }
}
