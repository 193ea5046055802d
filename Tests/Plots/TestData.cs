using NUnit.Framework;
using SkiaSharp;

namespace GraphDL.Tests.Plots;

/// <summary>Deterministic synthetic data for the plot tests and the gallery.</summary>
public static class TestData
{
    /// <summary>A tiny LCG + Box-Muller, so the data never depends on a library's random generator.</summary>
    public sealed class Rng(ulong seed)
    {
        private ulong _state = seed * 6364136223846793005UL + 1442695040888963407UL;

        public double Uniform()
        {
            _state = _state * 6364136223846793005UL + 1442695040888963407UL;
            return (_state >> 11) * (1.0 / (1UL << 53));
        }

        public double Normal()
        {
            double u1 = Math.Max(Uniform(), 1e-12), u2 = Uniform();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }

    /// <summary>
    /// The folder holding GraphDL.sln, found by walking up from the test's directory (and, for a build
    /// outside the repo, from this source file's directory).
    /// </summary>
    public static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { TestContext.CurrentContext.TestDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "GraphDL.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No folder above the test directory holds GraphDL.sln.");
    }

    public static Dictionary<string, IReadOnlyList<double>> History(int epochs = 20)
    {
        var rng = new Rng(7);
        double[] loss = new double[epochs], valLoss = new double[epochs], acc = new double[epochs], valAcc = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            loss[e] = 2.3 * Math.Exp(-e / 4.0) + 0.05 + 0.01 * rng.Uniform();
            valLoss[e] = 2.3 * Math.Exp(-e / 5.0) + 0.12 + 0.004 * e + 0.02 * rng.Uniform();
            acc[e] = 1 - 0.9 * Math.Exp(-e / 3.5) - 0.01 * rng.Uniform();
            valAcc[e] = 0.97 - 0.87 * Math.Exp(-e / 4.0) - 0.02 * rng.Uniform();
        }
        return new() { ["loss"] = loss, ["val_loss"] = valLoss, ["accuracy"] = acc, ["val_accuracy"] = valAcc };
    }

    /// <summary>A 28x28 "digit" drawn with SkiaSharp in its default typeface, as MNIST-like grey levels in [0, 1].</summary>
    public static double[] Digit(int d, double jitter)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8));
        using (var canvas = new SKCanvas(bitmap))
        using (var font = new SKFont(SKTypeface.Default, 24) { Embolden = true })
        using (var ink = new SKPaint { Color = SKColors.White, IsAntialias = true })
        {
            canvas.Clear(SKColors.Black);
            canvas.DrawText(d.ToString(System.Globalization.CultureInfo.InvariantCulture), (float)(14 + jitter), 23, SKTextAlign.Center, font, ink);
        }
        var px = new double[28 * 28];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++) px[y * 28 + x] = bitmap.GetPixel(x, y).Red / 255.0;
        return px;
    }

    /// <summary>Three Gaussian blobs in 2-D with labels 0, 1, 2 (an iris-like problem).</summary>
    public static (double[] X, double[] Y, int[] Label) Blobs(int perClass, ulong seed = 3)
    {
        var rng = new Rng(seed);
        (double x, double y)[] centres = [(1.5, 0.3), (4.3, 1.3), (5.6, 2.1)];
        int n = perClass * 3;
        double[] xs = new double[n], ys = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = i / perClass;
            xs[i] = centres[k].x + 0.35 * rng.Normal();
            ys[i] = centres[k].y + 0.2 * rng.Normal();
            labels[i] = k;
        }
        return (xs, ys, labels);
    }

    public static int NearestCentroid(double x, double y)
    {
        (double x, double y)[] centres = [(1.5, 0.3), (4.3, 1.3), (5.6, 2.1)];
        int best = 0;
        for (int k = 1; k < 3; k++)
            if (Dist(centres[k], x, y) < Dist(centres[best], x, y)) best = k;
        return best;
        static double Dist((double x, double y) c, double x, double y) => (c.x - x) * (c.x - x) + 4 * (c.y - y) * (c.y - y);
    }
}
