using GraphDL.Backends.Cpu.Blas;
using MathNet.Numerics.Providers.LinearAlgebra;
using BlasTranspose = MathNet.Numerics.Providers.LinearAlgebra.Transpose;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// The CPU backend: matrix products through MathNet.Numerics' linear-algebra provider, elementwise work
/// through System.Numerics.Tensors (SIMD). Its methods are split by family over the CpuBackend.*.cs files.
/// </summary>
/// <remarks>
/// Every primitive dispatches on the dtype the same way: a switch with one case per dtype it supports, each
/// calling one generic method, and <c>default: throw Unsupported(nameof(Primitive), dtype)</c>, so a dtype
/// nobody planned for fails loudly instead of leaving the output unwritten.
/// </remarks>
public sealed partial class CpuBackend : IBackend
{
    /// <summary>The one CPU backend; sessions use it unless given another (see <see cref="Session.DefaultBackend"/>).</summary>
    public static CpuBackend Instance { get; } = new();

    // The BLAS is chosen when the backend is first touched, so that a user's own MathNet matrices go native too. A
    // GRAPHDL_BLAS that cannot be honoured is not thrown here, where it would surface as a bare type-initializer
    // error: the first matrix product throws it, naming the setting, inside the node's own error.
    static CpuBackend()
    {
        try
        {
            BlasProvider.EnsureChosen();
        }
        catch (BlasUnavailableException)
        {
        }
    }

    /// <inheritdoc/>
    public string Name => "CPU";

    /// <summary>
    /// GraphDL is row-major, MathNet's provider column-major. A row-major (r, c) buffer read as column-major is
    /// its (c, r) transpose, so C = op(A) op(B) is computed as Cᵀ = op(B)ᵀ op(A)ᵀ: the operands swap here, once.
    /// </summary>
    public void MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y)
    {
        if (a.Rank > 2 || b.Rank > 2)
        {
            BatchMatMul(a, b, transposeA, transposeB, y);
            return;
        }
        var provider = BlasProvider.LinearAlgebra;
        var tb = transposeB ? BlasTranspose.Transpose : BlasTranspose.DontTranspose;
        var ta = transposeA ? BlasTranspose.Transpose : BlasTranspose.DontTranspose;
        switch (y.DType)
        {
            case DType.Float32:
                provider.MatrixMultiplyWithUpdate(tb, ta, 1f, b.Buffer<float>(), b.Shape[1], b.Shape[0],
                    a.Buffer<float>(), a.Shape[1], a.Shape[0], 0f, y.Buffer<float>());
                break;
            case DType.Float64:
                provider.MatrixMultiplyWithUpdate(tb, ta, 1d, b.Buffer<double>(), b.Shape[1], b.Shape[0],
                    a.Buffer<double>(), a.Shape[1], a.Shape[0], 0d, y.Buffer<double>());
                break;
            default:
                throw Unsupported(nameof(MatMul), y.DType);
        }
    }

    /// <inheritdoc/>
    public void Copy(Tensor x, Tensor y) => y.CopyFrom(x);

    /// <inheritdoc/>
    public void Fill(Tensor y, double value)
    {
        switch (y.DType)
        {
            case DType.Float32: y.Span<float>().Fill((float)value); break;
            case DType.Float64: y.Span<double>().Fill(value); break;
            case DType.Int32: y.Span<int>().Fill((int)value); break;
            case DType.Bool: y.Span<bool>().Fill(value != 0); break;
            default: throw Unsupported(nameof(Fill), y.DType);
        }
    }

    private static NotSupportedException Unsupported(string what, DType dtype) =>
        new($"{what} is not defined for {dtype}.");
}
