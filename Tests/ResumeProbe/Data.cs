namespace GraphDL.ResumeProbe;

/// <summary>A small classification set made from a fixed seed, the same in every process.</summary>
internal static class Data
{
    public const int Rows = 45, Features = 4, Classes = 3;

    /// <summary>Rows of uniform features, each labelled (one-hot) by which third of the range its features' sum falls in.</summary>
    public static (Tensor Features, Tensor Labels) Make()
    {
        var random = new Random(1);
        var x = new float[Rows * Features];
        var y = new float[Rows * Classes];
        for (int row = 0; row < Rows; row++)
        {
            float sum = 0;
            for (int j = 0; j < Features; j++) sum += x[row * Features + j] = (float)random.NextDouble();
            y[row * Classes + Math.Min(Classes - 1, (int)(sum / Features * Classes))] = 1;
        }
        return (Tensor.FromFlat(x, new Shape(Rows, Features)), Tensor.FromFlat(y, new Shape(Rows, Classes)));
    }
}
