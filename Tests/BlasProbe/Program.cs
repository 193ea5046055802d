using GraphDL;
using GraphDL.Backends.Cpu;
using GraphDL.Backends.Cpu.Blas;

// Prints what the BLAS choice of this process came to, one "key: value" line each, then checks one matrix product
// through the CPU backend against a plain loop. Exit 0 when the product is right, 1 when not, 2 when the choice failed
// (its message on stderr): what a GRAPHDL_BLAS that cannot be honoured does to any program's first product.
try
{
    var product = Product(out double error);
    Console.WriteLine($"choice: {BlasChoices.Name(BlasProvider.Choice)}");
    Console.WriteLine($"kind: {BlasProvider.Kind}");
    Console.WriteLine($"description: {BlasProvider.Description}");
    foreach (var attempt in BlasProvider.Tried) Console.WriteLine($"tried: {attempt}");
    Console.WriteLine($"max error: {error:G3} over {product}");
    return error < 1e-3 ? 0 : 1;
}
catch (BlasUnavailableException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Large enough (about 20 MFLOP) for the library to use its threads, with odd sizes.
static string Product(out double maxError)
{
    const int m = 301, k = 203, n = 157;
    var random = new Random(7);
    var a = new float[m, k];
    var b = new float[k, n];
    for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) a[i, j] = random.NextSingle() - 0.5f;
    for (int i = 0; i < k; i++) for (int j = 0; j < n; j++) b[i, j] = random.NextSingle() - 0.5f;
    var y = new Tensor(new Shape(m, n));
    CpuBackend.Instance.MatMul(Tensor.FromArray(a), Tensor.FromArray(b), false, false, y);
    var got = y.ToArray2D<float>();
    maxError = 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int p = 0; p < k; p++) sum += a[i, p] * (double)b[p, j];
            maxError = Math.Max(maxError, Math.Abs(got[i, j] - sum));
        }
    return $"({m}, {k}) x ({k}, {n})";
}
