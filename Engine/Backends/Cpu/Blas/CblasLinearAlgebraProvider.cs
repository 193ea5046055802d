using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace GraphDL.Backends.Cpu.Blas;

// Inside the namespace, so it wins over GraphDL's own Transpose op.
using Transpose = MathNet.Numerics.Providers.LinearAlgebra.Transpose;

/// <summary>
/// MathNet's linear-algebra provider with its real and single-precision matrix products sent to a native
/// CBLAS library. Installed as <c>LinearAlgebraControl.Provider</c>, it speeds up the engine's MatMul and a
/// user's own MathNet matrices alike. Everything else (factorisations, solvers, the complex types) is
/// forwarded unchanged to MathNet's managed provider: the interface is large, and GEMM is what matters.
/// </summary>
public sealed unsafe class CblasLinearAlgebraProvider(NativeBlas blas) : ILinearAlgebraProvider
{
    private readonly ManagedLinearAlgebraProvider _fallback = new();

    /// <summary>The native library the matrix products go to, with the name it was found under.</summary>
    public NativeBlas Blas => blas;

    /// <summary>"Native CBLAS (...)" with the library's description, as MathNet prints its providers.</summary>
    public override string ToString() => $"Native CBLAS ({blas.Description})";

    /// <inheritdoc/>
    public bool IsAvailable() => true;

    /// <inheritdoc/>
    public void InitializeVerify() => _fallback.InitializeVerify();

    /// <inheritdoc/>
    public void FreeResources() => _fallback.FreeResources();

    // MathNet passes each operand as stored (rowsA x columnsA, column-major) plus whether to transpose it.
    /// <inheritdoc/>
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, float alpha, float[] a, int rowsA, int columnsA, float[] b, int rowsB, int columnsB, float beta, float[] c)
    {
        var (m, n, k) = GemmSizes(transposeA, transposeB, rowsA, columnsA, rowsB, columnsB, a.Length, b.Length, c.Length);
        fixed (float* pa = a, pb = b, pc = c)
            blas.Sgemm(transposeA != Transpose.DontTranspose, transposeB != Transpose.DontTranspose, m, n, k,
                alpha, pa, Math.Max(1, rowsA), pb, Math.Max(1, rowsB), beta, pc, Math.Max(1, m));
    }

    /// <inheritdoc/>
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, double alpha, double[] a, int rowsA, int columnsA, double[] b, int rowsB, int columnsB, double beta, double[] c)
    {
        var (m, n, k) = GemmSizes(transposeA, transposeB, rowsA, columnsA, rowsB, columnsB, a.Length, b.Length, c.Length);
        fixed (double* pa = a, pb = b, pc = c)
            blas.Dgemm(transposeA != Transpose.DontTranspose, transposeB != Transpose.DontTranspose, m, n, k,
                alpha, pa, Math.Max(1, rowsA), pb, Math.Max(1, rowsB), beta, pc, Math.Max(1, m));
    }

    /// <inheritdoc/>
    public void MatrixMultiply(float[] x, int rowsX, int columnsX, float[] y, int rowsY, int columnsY, float[] result) =>
        MatrixMultiplyWithUpdate(Transpose.DontTranspose, Transpose.DontTranspose, 1f, x, rowsX, columnsX, y, rowsY, columnsY, 0f, result);

    /// <inheritdoc/>
    public void MatrixMultiply(double[] x, int rowsX, int columnsX, double[] y, int rowsY, int columnsY, double[] result) =>
        MatrixMultiplyWithUpdate(Transpose.DontTranspose, Transpose.DontTranspose, 1d, x, rowsX, columnsX, y, rowsY, columnsY, 0d, result);

    // Native code trusts its arguments, so the sizes are checked here, where a mistake is still an exception.
    private static (int M, int N, int K) GemmSizes(Transpose transposeA, Transpose transposeB, int rowsA, int columnsA, int rowsB, int columnsB, int lengthA, int lengthB, int lengthC)
    {
        bool ta = transposeA != Transpose.DontTranspose, tb = transposeB != Transpose.DontTranspose;
        int m = ta ? columnsA : rowsA, k = ta ? rowsA : columnsA;
        int kb = tb ? columnsB : rowsB, n = tb ? rowsB : columnsB;
        if (k != kb) throw new ArgumentException($"Matrix product of a {m}x{k} and a {kb}x{n} operand: the inner sizes differ.");
        if (lengthA < rowsA * columnsA || lengthB < rowsB * columnsB || lengthC < m * n)
            throw new ArgumentException($"Matrix product buffers too small: A {lengthA} < {rowsA}x{columnsA}, B {lengthB} < {rowsB}x{columnsB} or C {lengthC} < {m}x{n}.");
        return (m, n, k);
    }

    // Everything below is MathNet's managed provider, unchanged.
    // float
    /// <inheritdoc/>
    public void AddVectorToScaledVector(float[] y, float alpha, float[] x, float[] result) => _fallback.AddVectorToScaledVector(y, alpha, x, result);
    /// <inheritdoc/>
    public void ScaleArray(float alpha, float[] x, float[] result) => _fallback.ScaleArray(alpha, x, result);
    /// <inheritdoc/>
    public void ConjugateArray(float[] x, float[] result) => _fallback.ConjugateArray(x, result);
    /// <inheritdoc/>
    public float DotProduct(float[] x, float[] y) => _fallback.DotProduct(x, y);
    /// <inheritdoc/>
    public void AddArrays(float[] x, float[] y, float[] result) => _fallback.AddArrays(x, y, result);
    /// <inheritdoc/>
    public void SubtractArrays(float[] x, float[] y, float[] result) => _fallback.SubtractArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseMultiplyArrays(float[] x, float[] y, float[] result) => _fallback.PointWiseMultiplyArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseDivideArrays(float[] x, float[] y, float[] result) => _fallback.PointWiseDivideArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWisePowerArrays(float[] x, float[] y, float[] result) => _fallback.PointWisePowerArrays(x, y, result);
    /// <inheritdoc/>
    public double MatrixNorm(Norm norm, int rows, int columns, float[] matrix) => _fallback.MatrixNorm(norm, rows, columns, matrix);
    /// <inheritdoc/>
    public void LUFactor(float[] data, int order, int[] ipiv) => _fallback.LUFactor(data, order, ipiv);
    /// <inheritdoc/>
    public void LUInverse(float[] a, int order) => _fallback.LUInverse(a, order);
    /// <inheritdoc/>
    public void LUInverseFactored(float[] a, int order, int[] ipiv) => _fallback.LUInverseFactored(a, order, ipiv);
    /// <inheritdoc/>
    public void LUSolve(int columnsOfB, float[] a, int order, float[] b) => _fallback.LUSolve(columnsOfB, a, order, b);
    /// <inheritdoc/>
    public void LUSolveFactored(int columnsOfB, float[] a, int order, int[] ipiv, float[] b) => _fallback.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    /// <inheritdoc/>
    public void CholeskyFactor(float[] a, int order) => _fallback.CholeskyFactor(a, order);
    /// <inheritdoc/>
    public void CholeskySolve(float[] a, int orderA, float[] b, int columnsB) => _fallback.CholeskySolve(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void CholeskySolveFactored(float[] a, int orderA, float[] b, int columnsB) => _fallback.CholeskySolveFactored(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void QRFactor(float[] a, int rowsA, int columnsA, float[] q, float[] tau) => _fallback.QRFactor(a, rowsA, columnsA, q, tau);
    /// <inheritdoc/>
    public void ThinQRFactor(float[] a, int rowsA, int columnsA, float[] r, float[] tau) => _fallback.ThinQRFactor(a, rowsA, columnsA, r, tau);
    /// <inheritdoc/>
    public void QRSolve(float[] a, int rows, int columns, float[] b, int columnsB, float[] x, QRMethod method) => _fallback.QRSolve(a, rows, columns, b, columnsB, x, method);
    /// <inheritdoc/>
    public void QRSolveFactored(float[] q, float[] r, int rowsA, int columnsA, float[] tau, float[] b, int columnsB, float[] x, QRMethod method) => _fallback.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    /// <inheritdoc/>
    public void SingularValueDecomposition(bool computeVectors, float[] a, int rowsA, int columnsA, float[] s, float[] u, float[] vt) => _fallback.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    /// <inheritdoc/>
    public void SvdSolve(float[] a, int rowsA, int columnsA, float[] b, int columnsB, float[] x) => _fallback.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    /// <inheritdoc/>
    public void SvdSolveFactored(int rowsA, int columnsA, float[] s, float[] u, float[] vt, float[] b, int columnsB, float[] x) => _fallback.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    /// <inheritdoc/>
    public void EigenDecomp(bool isSymmetric, int order, float[] matrix, float[] matrixEv, Complex[] vectorEv, float[] matrixD) => _fallback.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    // double
    /// <inheritdoc/>
    public void AddVectorToScaledVector(double[] y, double alpha, double[] x, double[] result) => _fallback.AddVectorToScaledVector(y, alpha, x, result);
    /// <inheritdoc/>
    public void ScaleArray(double alpha, double[] x, double[] result) => _fallback.ScaleArray(alpha, x, result);
    /// <inheritdoc/>
    public void ConjugateArray(double[] x, double[] result) => _fallback.ConjugateArray(x, result);
    /// <inheritdoc/>
    public double DotProduct(double[] x, double[] y) => _fallback.DotProduct(x, y);
    /// <inheritdoc/>
    public void AddArrays(double[] x, double[] y, double[] result) => _fallback.AddArrays(x, y, result);
    /// <inheritdoc/>
    public void SubtractArrays(double[] x, double[] y, double[] result) => _fallback.SubtractArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseMultiplyArrays(double[] x, double[] y, double[] result) => _fallback.PointWiseMultiplyArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseDivideArrays(double[] x, double[] y, double[] result) => _fallback.PointWiseDivideArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWisePowerArrays(double[] x, double[] y, double[] result) => _fallback.PointWisePowerArrays(x, y, result);
    /// <inheritdoc/>
    public double MatrixNorm(Norm norm, int rows, int columns, double[] matrix) => _fallback.MatrixNorm(norm, rows, columns, matrix);
    /// <inheritdoc/>
    public void LUFactor(double[] data, int order, int[] ipiv) => _fallback.LUFactor(data, order, ipiv);
    /// <inheritdoc/>
    public void LUInverse(double[] a, int order) => _fallback.LUInverse(a, order);
    /// <inheritdoc/>
    public void LUInverseFactored(double[] a, int order, int[] ipiv) => _fallback.LUInverseFactored(a, order, ipiv);
    /// <inheritdoc/>
    public void LUSolve(int columnsOfB, double[] a, int order, double[] b) => _fallback.LUSolve(columnsOfB, a, order, b);
    /// <inheritdoc/>
    public void LUSolveFactored(int columnsOfB, double[] a, int order, int[] ipiv, double[] b) => _fallback.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    /// <inheritdoc/>
    public void CholeskyFactor(double[] a, int order) => _fallback.CholeskyFactor(a, order);
    /// <inheritdoc/>
    public void CholeskySolve(double[] a, int orderA, double[] b, int columnsB) => _fallback.CholeskySolve(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void CholeskySolveFactored(double[] a, int orderA, double[] b, int columnsB) => _fallback.CholeskySolveFactored(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void QRFactor(double[] a, int rowsA, int columnsA, double[] q, double[] tau) => _fallback.QRFactor(a, rowsA, columnsA, q, tau);
    /// <inheritdoc/>
    public void ThinQRFactor(double[] a, int rowsA, int columnsA, double[] r, double[] tau) => _fallback.ThinQRFactor(a, rowsA, columnsA, r, tau);
    /// <inheritdoc/>
    public void QRSolve(double[] a, int rows, int columns, double[] b, int columnsB, double[] x, QRMethod method) => _fallback.QRSolve(a, rows, columns, b, columnsB, x, method);
    /// <inheritdoc/>
    public void QRSolveFactored(double[] q, double[] r, int rowsA, int columnsA, double[] tau, double[] b, int columnsB, double[] x, QRMethod method) => _fallback.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    /// <inheritdoc/>
    public void SingularValueDecomposition(bool computeVectors, double[] a, int rowsA, int columnsA, double[] s, double[] u, double[] vt) => _fallback.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    /// <inheritdoc/>
    public void SvdSolve(double[] a, int rowsA, int columnsA, double[] b, int columnsB, double[] x) => _fallback.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    /// <inheritdoc/>
    public void SvdSolveFactored(int rowsA, int columnsA, double[] s, double[] u, double[] vt, double[] b, int columnsB, double[] x) => _fallback.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    /// <inheritdoc/>
    public void EigenDecomp(bool isSymmetric, int order, double[] matrix, double[] matrixEv, Complex[] vectorEv, double[] matrixD) => _fallback.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    // Complex
    /// <inheritdoc/>
    public void AddVectorToScaledVector(Complex[] y, Complex alpha, Complex[] x, Complex[] result) => _fallback.AddVectorToScaledVector(y, alpha, x, result);
    /// <inheritdoc/>
    public void ScaleArray(Complex alpha, Complex[] x, Complex[] result) => _fallback.ScaleArray(alpha, x, result);
    /// <inheritdoc/>
    public void ConjugateArray(Complex[] x, Complex[] result) => _fallback.ConjugateArray(x, result);
    /// <inheritdoc/>
    public Complex DotProduct(Complex[] x, Complex[] y) => _fallback.DotProduct(x, y);
    /// <inheritdoc/>
    public void AddArrays(Complex[] x, Complex[] y, Complex[] result) => _fallback.AddArrays(x, y, result);
    /// <inheritdoc/>
    public void SubtractArrays(Complex[] x, Complex[] y, Complex[] result) => _fallback.SubtractArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseMultiplyArrays(Complex[] x, Complex[] y, Complex[] result) => _fallback.PointWiseMultiplyArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseDivideArrays(Complex[] x, Complex[] y, Complex[] result) => _fallback.PointWiseDivideArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWisePowerArrays(Complex[] x, Complex[] y, Complex[] result) => _fallback.PointWisePowerArrays(x, y, result);
    /// <inheritdoc/>
    public double MatrixNorm(Norm norm, int rows, int columns, Complex[] matrix) => _fallback.MatrixNorm(norm, rows, columns, matrix);
    /// <inheritdoc/>
    public void LUFactor(Complex[] data, int order, int[] ipiv) => _fallback.LUFactor(data, order, ipiv);
    /// <inheritdoc/>
    public void LUInverse(Complex[] a, int order) => _fallback.LUInverse(a, order);
    /// <inheritdoc/>
    public void LUInverseFactored(Complex[] a, int order, int[] ipiv) => _fallback.LUInverseFactored(a, order, ipiv);
    /// <inheritdoc/>
    public void LUSolve(int columnsOfB, Complex[] a, int order, Complex[] b) => _fallback.LUSolve(columnsOfB, a, order, b);
    /// <inheritdoc/>
    public void LUSolveFactored(int columnsOfB, Complex[] a, int order, int[] ipiv, Complex[] b) => _fallback.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    /// <inheritdoc/>
    public void CholeskyFactor(Complex[] a, int order) => _fallback.CholeskyFactor(a, order);
    /// <inheritdoc/>
    public void CholeskySolve(Complex[] a, int orderA, Complex[] b, int columnsB) => _fallback.CholeskySolve(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void CholeskySolveFactored(Complex[] a, int orderA, Complex[] b, int columnsB) => _fallback.CholeskySolveFactored(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void QRFactor(Complex[] a, int rowsA, int columnsA, Complex[] q, Complex[] tau) => _fallback.QRFactor(a, rowsA, columnsA, q, tau);
    /// <inheritdoc/>
    public void ThinQRFactor(Complex[] a, int rowsA, int columnsA, Complex[] r, Complex[] tau) => _fallback.ThinQRFactor(a, rowsA, columnsA, r, tau);
    /// <inheritdoc/>
    public void QRSolve(Complex[] a, int rows, int columns, Complex[] b, int columnsB, Complex[] x, QRMethod method) => _fallback.QRSolve(a, rows, columns, b, columnsB, x, method);
    /// <inheritdoc/>
    public void QRSolveFactored(Complex[] q, Complex[] r, int rowsA, int columnsA, Complex[] tau, Complex[] b, int columnsB, Complex[] x, QRMethod method) => _fallback.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    /// <inheritdoc/>
    public void SingularValueDecomposition(bool computeVectors, Complex[] a, int rowsA, int columnsA, Complex[] s, Complex[] u, Complex[] vt) => _fallback.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    /// <inheritdoc/>
    public void SvdSolve(Complex[] a, int rowsA, int columnsA, Complex[] b, int columnsB, Complex[] x) => _fallback.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    /// <inheritdoc/>
    public void SvdSolveFactored(int rowsA, int columnsA, Complex[] s, Complex[] u, Complex[] vt, Complex[] b, int columnsB, Complex[] x) => _fallback.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    /// <inheritdoc/>
    public void EigenDecomp(bool isSymmetric, int order, Complex[] matrix, Complex[] matrixEv, Complex[] vectorEv, Complex[] matrixD) => _fallback.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    // Complex32
    /// <inheritdoc/>
    public void AddVectorToScaledVector(Complex32[] y, Complex32 alpha, Complex32[] x, Complex32[] result) => _fallback.AddVectorToScaledVector(y, alpha, x, result);
    /// <inheritdoc/>
    public void ScaleArray(Complex32 alpha, Complex32[] x, Complex32[] result) => _fallback.ScaleArray(alpha, x, result);
    /// <inheritdoc/>
    public void ConjugateArray(Complex32[] x, Complex32[] result) => _fallback.ConjugateArray(x, result);
    /// <inheritdoc/>
    public Complex32 DotProduct(Complex32[] x, Complex32[] y) => _fallback.DotProduct(x, y);
    /// <inheritdoc/>
    public void AddArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _fallback.AddArrays(x, y, result);
    /// <inheritdoc/>
    public void SubtractArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _fallback.SubtractArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseMultiplyArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _fallback.PointWiseMultiplyArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWiseDivideArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _fallback.PointWiseDivideArrays(x, y, result);
    /// <inheritdoc/>
    public void PointWisePowerArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _fallback.PointWisePowerArrays(x, y, result);
    /// <inheritdoc/>
    public double MatrixNorm(Norm norm, int rows, int columns, Complex32[] matrix) => _fallback.MatrixNorm(norm, rows, columns, matrix);
    /// <inheritdoc/>
    public void LUFactor(Complex32[] data, int order, int[] ipiv) => _fallback.LUFactor(data, order, ipiv);
    /// <inheritdoc/>
    public void LUInverse(Complex32[] a, int order) => _fallback.LUInverse(a, order);
    /// <inheritdoc/>
    public void LUInverseFactored(Complex32[] a, int order, int[] ipiv) => _fallback.LUInverseFactored(a, order, ipiv);
    /// <inheritdoc/>
    public void LUSolve(int columnsOfB, Complex32[] a, int order, Complex32[] b) => _fallback.LUSolve(columnsOfB, a, order, b);
    /// <inheritdoc/>
    public void LUSolveFactored(int columnsOfB, Complex32[] a, int order, int[] ipiv, Complex32[] b) => _fallback.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    /// <inheritdoc/>
    public void CholeskyFactor(Complex32[] a, int order) => _fallback.CholeskyFactor(a, order);
    /// <inheritdoc/>
    public void CholeskySolve(Complex32[] a, int orderA, Complex32[] b, int columnsB) => _fallback.CholeskySolve(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void CholeskySolveFactored(Complex32[] a, int orderA, Complex32[] b, int columnsB) => _fallback.CholeskySolveFactored(a, orderA, b, columnsB);
    /// <inheritdoc/>
    public void QRFactor(Complex32[] a, int rowsA, int columnsA, Complex32[] q, Complex32[] tau) => _fallback.QRFactor(a, rowsA, columnsA, q, tau);
    /// <inheritdoc/>
    public void ThinQRFactor(Complex32[] a, int rowsA, int columnsA, Complex32[] r, Complex32[] tau) => _fallback.ThinQRFactor(a, rowsA, columnsA, r, tau);
    /// <inheritdoc/>
    public void QRSolve(Complex32[] a, int rows, int columns, Complex32[] b, int columnsB, Complex32[] x, QRMethod method) => _fallback.QRSolve(a, rows, columns, b, columnsB, x, method);
    /// <inheritdoc/>
    public void QRSolveFactored(Complex32[] q, Complex32[] r, int rowsA, int columnsA, Complex32[] tau, Complex32[] b, int columnsB, Complex32[] x, QRMethod method) => _fallback.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    /// <inheritdoc/>
    public void SingularValueDecomposition(bool computeVectors, Complex32[] a, int rowsA, int columnsA, Complex32[] s, Complex32[] u, Complex32[] vt) => _fallback.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    /// <inheritdoc/>
    public void SvdSolve(Complex32[] a, int rowsA, int columnsA, Complex32[] b, int columnsB, Complex32[] x) => _fallback.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    /// <inheritdoc/>
    public void SvdSolveFactored(int rowsA, int columnsA, Complex32[] s, Complex32[] u, Complex32[] vt, Complex32[] b, int columnsB, Complex32[] x) => _fallback.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    /// <inheritdoc/>
    public void EigenDecomp(bool isSymmetric, int order, Complex32[] matrix, Complex32[] matrixEv, Complex[] vectorEv, Complex32[] matrixD) => _fallback.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    /// <inheritdoc/>
    public void MatrixMultiply(Complex[] x, int rowsX, int columnsX, Complex[] y, int rowsY, int columnsY, Complex[] result) => _fallback.MatrixMultiply(x, rowsX, columnsX, y, rowsY, columnsY, result);
    /// <inheritdoc/>
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, Complex alpha, Complex[] a, int rowsA, int columnsA, Complex[] b, int rowsB, int columnsB, Complex beta, Complex[] c) => _fallback.MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    /// <inheritdoc/>
    public void MatrixMultiply(Complex32[] x, int rowsX, int columnsX, Complex32[] y, int rowsY, int columnsY, Complex32[] result) => _fallback.MatrixMultiply(x, rowsX, columnsX, y, rowsY, columnsY, result);
    /// <inheritdoc/>
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, Complex32 alpha, Complex32[] a, int rowsA, int columnsA, Complex32[] b, int rowsB, int columnsB, Complex32 beta, Complex32[] c) => _fallback.MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
}
