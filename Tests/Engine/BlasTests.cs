using GraphDL.Backends.Cpu;
using GraphDL.Backends.Cpu.Blas;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Providers.LinearAlgebra;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

using Transpose = MathNet.Numerics.Providers.LinearAlgebra.Transpose;

public class BlasTests
{
    [Test]
    public void ThisMachineRunsMatrixProductsOnANativeBlas()
    {
        // The build fetches MKL and OpenBLAS into the user cache (scripts/fetch-blas.sh), so on this project's
        // machines the CPU backend must have found one rather than fallen back to MathNet's managed code.
        CpuBackend.Instance.ToString();
        Assert.That(BlasProvider.Kind, Is.EqualTo(BlasKind.Native), $"{BlasProvider.Description}; tried: {string.Join("; ", BlasProvider.Tried)}");
        Assert.That(LinearAlgebraControl.Provider, Is.InstanceOf<CblasLinearAlgebraProvider>());
        Assert.That(BlasProvider.LinearAlgebra, Is.SameAs(LinearAlgebraControl.Provider));
        Assert.That(BlasProvider.Tried[^1].PassedOver, Is.Null, "the last library tried is the one in use");
        Assert.That(BlasProvider.Description, Does.Contain(((CblasLinearAlgebraProvider)BlasProvider.LinearAlgebra).Blas.LoadedFrom),
            "the description names the file the library came from");
    }

    [Test]
    public void MklComesFirstAndTheUserCacheAfterTheSystemsOwnCopy()
    {
        if (!BlasCache.AppliesHere) Assert.Ignore("The user cache holds Linux x86-64 libraries only.");
        var order = BlasFamily.SearchOrder;
        Assert.That(order.Select(f => f.Choice), Is.EqualTo(new[] { BlasChoice.Mkl, BlasChoice.OpenBlas, BlasChoice.Blis, BlasChoice.Reference }));
        foreach (var (family, folder) in new[] { (order[0], BlasCache.MklFolder), (order[1], BlasCache.OpenBlasFolder) })
        {
            Assert.That(family.Locations[^1], Does.StartWith(Path.Combine(BlasCache.Root, folder)), family.Name);
            Assert.That(family.Locations.Take(family.Locations.Count - 1), Has.All.Not.Contain("/"), $"{family.Name}: the system's names come first");
        }
    }

    [TestCase(BlasCache.MklFolder, "libmkl_rt.so", "Intel MKL")]
    [TestCase(BlasCache.OpenBlasFolder, "libopenblas.so.0", "OpenBLAS")]
    public void TheCachedLibraryLoadsAndMultipliesAsManagedCodeDoes(string folder, string file, string family)
    {
        string path = BlasCache.PathOf(folder, file);
        if (!BlasCache.AppliesHere || !File.Exists(path))
            Assert.Ignore($"{path} is not there: the build fetches it on Linux x86-64 (scripts/fetch-blas.sh) and could not here.");
        var blas = BlasProvider.Load(path);
        Assert.That(blas.Description, Does.Contain(family).And.Contain(path));
        var native = new CblasLinearAlgebraProvider(blas);
        foreach (var (transposeA, transposeB) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            // Small and odd, then large enough (about 20 MFLOP) for the library to split the work over its threads.
            MatchesManaged(native, transposeA, transposeB, 7, 5, 3);
            MatchesManaged(native, transposeA, transposeB, 301, 203, 157);
        }
    }

    [Test]
    public void OnAnAmdCpuTheCachedMklRunsItsVectorKernels()
    {
        string path = BlasCache.PathOf(BlasCache.MklFolder, "libmkl_rt.so");
        if (!BlasCache.AppliesHere || !File.Exists(path)) Assert.Ignore($"{path} is not there (scripts/fetch-blas.sh).");
        if (MklSetup.IsIntelCpu() || !System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.Ignore("Not a non-Intel CPU with AVX2.");
        if (!File.Exists(BlasCache.PathOf(BlasCache.MklFolder, MklSetup.VendorShim))) Assert.Ignore("No vendor shim: the fetch found no C compiler.");
        Assert.That(BlasProvider.Load(path).Description, Does.Contain("AVX").And.Contain(" kernels").And.Contain("vendor check bypassed"));
    }

    [TestCase(false, false), TestCase(true, false), TestCase(false, true), TestCase(true, true)]
    public void NativeProductsMatchManagedOnesInBothPrecisions(bool transposeA, bool transposeB)
    {
        BlasProvider.EnsureChosen();
        // Odd, unequal sizes so that a swapped leading dimension cannot go unnoticed.
        MatchesManaged(LinearAlgebraControl.Provider, transposeA, transposeB, 7, 5, 3);
    }

    private static void MatchesManaged(ILinearAlgebraProvider native, bool transposeA, bool transposeB, int m, int k, int n)
    {
        var managed = new ManagedLinearAlgebraProvider();
        var random = new Random(3);
        int rowsA = transposeA ? k : m, columnsA = transposeA ? m : k;
        int rowsB = transposeB ? n : k, columnsB = transposeB ? k : n;
        var a = Enumerable.Range(0, m * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var c0 = Enumerable.Range(0, m * n).Select(_ => random.NextDouble()).ToArray();
        var ta = transposeA ? Transpose.Transpose : Transpose.DontTranspose;
        var tb = transposeB ? Transpose.Transpose : Transpose.DontTranspose;
        string what = $"({m}, {k}) x ({k}, {n}), transposes {transposeA}/{transposeB}";

        var expected = (double[])c0.Clone();
        managed.MatrixMultiplyWithUpdate(ta, tb, 0.5, a, rowsA, columnsA, b, rowsB, columnsB, 2.0, expected);
        var actual = (double[])c0.Clone();
        native.MatrixMultiplyWithUpdate(ta, tb, 0.5, a, rowsA, columnsA, b, rowsB, columnsB, 2.0, actual);
        Assert.That(actual, Is.EqualTo(expected).Within(1e-12 * k), what);

        float[] F(double[] v) => v.Select(x => (float)x).ToArray();
        var expectedF = F(c0);
        managed.MatrixMultiplyWithUpdate(ta, tb, 0.5f, F(a), rowsA, columnsA, F(b), rowsB, columnsB, 2f, expectedF);
        var actualF = F(c0);
        native.MatrixMultiplyWithUpdate(ta, tb, 0.5f, F(a), rowsA, columnsA, F(b), rowsB, columnsB, 2f, actualF);
        Assert.That(actualF, Is.EqualTo(expectedF).Within(1e-6 * k), what);
    }

    [Test]
    public void MismatchedInnerSizesFailBeforeReachingNativeCode()
    {
        BlasProvider.EnsureChosen();
        var e = Assert.Throws<ArgumentException>(() => LinearAlgebraControl.Provider.MatrixMultiplyWithUpdate(
            Transpose.DontTranspose, Transpose.DontTranspose, 1f, new float[6], 2, 3, new float[8], 4, 2, 0f, new float[4]));
        Assert.That(e!.Message, Does.Contain("inner sizes differ"));
    }

    [Test]
    public void UserMathNetMatricesUseTheSameProvider()
    {
        BlasProvider.EnsureChosen();
        var a = Matrix<double>.Build.Dense(2, 3, [1, 4, 2, 5, 3, 6]);    // column-major [[1,2,3],[4,5,6]]
        var b = Matrix<double>.Build.Dense(3, 1, [1, 1, 1]);
        Assert.That((a * b).ToColumnMajorArray(), Is.EqualTo(new[] { 6.0, 15.0 }));
    }

    [Test]
    public void ALargeGraphMatMulMatchesANaiveLoop()
    {
        var random = new Random(5);
        int m = 64, k = 300, n = 40;
        var a = new float[m, k];
        var b = new float[k, n];
        for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) a[i, j] = (float)random.NextDouble() - 0.5f;
        for (int i = 0; i < k; i++) for (int j = 0; j < n; j++) b[i, j] = (float)random.NextDouble() - 0.5f;
        var y = new Tensor(new Shape(m, n));
        CpuBackend.Instance.MatMul(Tensor.FromArray(a), Tensor.FromArray(b), false, false, y);
        var got = y.ToArray2D<float>();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += a[i, p] * (double)b[p, j];
                Assert.That(got[i, j], Is.EqualTo(sum).Within(1e-4), $"y[{i},{j}]");
            }
    }
}
