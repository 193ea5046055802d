namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    public static IEnumerable<ParityCase> Elementwise()
    {
        yield break;
    }
}
