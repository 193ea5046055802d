namespace GraphDL.Tests.Engine;

/// <summary>Uniform draws on [-1, 1) for the recurrent tests' inputs and weights, and the helpers their gradient checks share.</summary>
internal static class RecurrentData
{
    public static double[,,] Random3(Random rng, int a, int b, int c)
    {
        var v = new double[a, b, c];
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++) v[i, j, k] = rng.NextDouble() * 2 - 1;
        return v;
    }

    public static double[,] Random2(Random rng, int a, int b)
    {
        var v = new double[a, b];
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) v[i, j] = rng.NextDouble() * 2 - 1;
        return v;
    }

    public static double[] Random1(Random rng, int a) => [.. Enumerable.Range(0, a).Select(_ => rng.NextDouble() * 2 - 1)];

    /// <summary>Inputs and weights of a gradient check: small, so that no gate saturates.</summary>
    public static readonly Func<Random, double> Small = r => r.NextDouble() * 2 - 1;

    /// <summary>
    /// Every given tensor flattened and joined into one vector, so each element gets its own random dout in a
    /// gradient check even where the states have different widths (a stack's layers).
    /// </summary>
    public static Output Joined(params IEnumerable<Output> parts)
    {
        var list = parts.ToList();
        var g = list[0].Graph;
        return g.Concat([.. list.Select(p => g.Reshape(p, [-1]))], axis: 0);
    }

    /// <summary>Row <paramref name="n"/>'s first <paramref name="steps"/> steps of a (batch, time, features) array.</summary>
    public static double[,,] Row(double[,,] xs, int n, int steps)
    {
        var row = new double[1, steps, xs.GetLength(2)];
        for (int t = 0; t < steps; t++)
            for (int k = 0; k < xs.GetLength(2); k++) row[0, t, k] = xs[n, t, k];
        return row;
    }

    /// <summary>x_t of a (batch, time, features) array: (batch, features).</summary>
    public static double[,] StepAt(double[,,] xs, int t)
    {
        var x = new double[xs.GetLength(0), xs.GetLength(2)];
        for (int n = 0; n < xs.GetLength(0); n++)
            for (int k = 0; k < xs.GetLength(2); k++) x[n, k] = xs[n, t, k];
        return x;
    }

    /// <summary>Row <paramref name="n"/> of a (batch, units) array, as (1, units).</summary>
    public static double[,] Row(double[,] xs, int n)
    {
        var row = new double[1, xs.GetLength(1)];
        for (int k = 0; k < xs.GetLength(1); k++) row[0, k] = xs[n, k];
        return row;
    }
}
