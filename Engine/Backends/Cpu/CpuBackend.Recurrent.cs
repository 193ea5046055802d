using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void LstmBlockCell(Tensor z, Tensor? cPrev, Tensor c, Tensor h)
    {
        switch (z.DType)
        {
            case DType.Float32: LstmBlockCell<float>(z, cPrev, c, h); break;
            case DType.Float64: LstmBlockCell<double>(z, cPrev, c, h); break;
            default: throw Unsupported(nameof(LstmBlockCell), z.DType);
        }
    }

    /// <inheritdoc/>
    public void LstmBlockCellGrad(Tensor z, Tensor? cPrev, Tensor dc, Tensor dh, Tensor dz, Tensor? dcPrev)
    {
        switch (z.DType)
        {
            case DType.Float32: LstmBlockCellGrad<float>(z, cPrev, dc, dh, dz, dcPrev); break;
            case DType.Float64: LstmBlockCellGrad<double>(z, cPrev, dc, dh, dz, dcPrev); break;
            default: throw Unsupported(nameof(LstmBlockCellGrad), z.DType);
        }
    }

    /// <summary>Row by row, each row's gates activated into a pooled scratch row with the vectorised Sigmoid and Tanh.</summary>
    private static void LstmBlockCell<T>(Tensor z, Tensor? cPrev, Tensor c, Tensor h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = c.Shape[-1];
        ReadOnlySpan<T> zs = z.ReadOnlySpan<T>(), previous = cPrev is null ? default : cPrev.ReadOnlySpan<T>();
        Span<T> cs = c.Span<T>(), hs = h.Span<T>();
        T[] scratch = ArrayPool<T>.Shared.Rent(4 * units);
        try
        {
            var gates = scratch.AsSpan(0, 4 * units);
            for (int row = 0; row < cs.Length / Math.Max(units, 1); row++)
            {
                ActivateGates(zs.Slice(row * 4 * units, 4 * units), gates, units);
                ReadOnlySpan<T> i = gates[..units], f = gates[units..(2 * units)], g = gates[(2 * units)..(3 * units)], o = gates[(3 * units)..];
                var cRow = cs.Slice(row * units, units);
                var hRow = hs.Slice(row * units, units);
                TensorPrimitives.Multiply(i, g, cRow);
                if (cPrev is not null) TensorPrimitives.MultiplyAdd(f, previous.Slice(row * units, units), cRow, cRow);
                TensorPrimitives.Tanh(cRow, hRow);
                TensorPrimitives.Multiply(hRow, o, hRow);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Row by row: the gates and tanh(c) recomputed into pooled scratch rows (vectorised), then the products of the
    /// gradient in one pass over the units.
    /// </summary>
    private static void LstmBlockCellGrad<T>(Tensor z, Tensor? cPrev, Tensor dc, Tensor dh, Tensor dz, Tensor? dcPrev)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = dc.Shape[-1];
        ReadOnlySpan<T> zs = z.ReadOnlySpan<T>(), dcs = dc.ReadOnlySpan<T>(), dhs = dh.ReadOnlySpan<T>();
        ReadOnlySpan<T> previous = cPrev is null ? default : cPrev.ReadOnlySpan<T>();
        Span<T> dzs = dz.Span<T>(), dPrevious = dcPrev is null ? default : dcPrev.Span<T>();
        T[] scratch = ArrayPool<T>.Shared.Rent(5 * units);
        try
        {
            var gates = scratch.AsSpan(0, 4 * units);
            var tanhC = scratch.AsSpan(4 * units, units);
            for (int row = 0; row < dcs.Length / Math.Max(units, 1); row++)
            {
                ActivateGates(zs.Slice(row * 4 * units, 4 * units), gates, units);
                ReadOnlySpan<T> i = gates[..units], f = gates[units..(2 * units)], g = gates[(2 * units)..(3 * units)], o = gates[(3 * units)..];
                ReadOnlySpan<T> cPrevRow = cPrev is null ? default : previous.Slice(row * units, units);
                TensorPrimitives.Multiply(i, g, tanhC);
                if (cPrev is not null) TensorPrimitives.MultiplyAdd(f, cPrevRow, tanhC, tanhC);
                TensorPrimitives.Tanh(tanhC, tanhC);

                ReadOnlySpan<T> dcRow = dcs.Slice(row * units, units), dhRow = dhs.Slice(row * units, units);
                var dzRow = dzs.Slice(row * 4 * units, 4 * units);
                for (int j = 0; j < units; j++)
                {
                    T t = tanhC[j], dhj = dhRow[j];
                    T dcTotal = dcRow[j] + dhj * o[j] * (T.One - t * t);
                    dzRow[j] = dcTotal * g[j] * i[j] * (T.One - i[j]);
                    dzRow[units + j] = cPrev is null ? T.Zero : dcTotal * cPrevRow[j] * f[j] * (T.One - f[j]);
                    dzRow[2 * units + j] = dcTotal * i[j] * (T.One - g[j] * g[j]);
                    dzRow[3 * units + j] = dhj * t * o[j] * (T.One - o[j]);
                    if (dcPrev is not null) dPrevious[row * units + j] = dcTotal * f[j];
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>σ over the i and f blocks, tanh over g, σ over o: one row of z (4 * units) into <paramref name="gates"/>.</summary>
    private static void ActivateGates<T>(ReadOnlySpan<T> z, Span<T> gates, int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Sigmoid(z[..(2 * units)], gates[..(2 * units)]);
        TensorPrimitives.Tanh(z.Slice(2 * units, units), gates.Slice(2 * units, units));
        TensorPrimitives.Sigmoid(z[(3 * units)..], gates[(3 * units)..]);
    }

    /// <inheritdoc/>
    public void GruBlockCell(Tensor gates, Tensor candidateFromX, Tensor? hPrev, Tensor? candidateKernel, Tensor z, Tensor r, Tensor c, Tensor h)
    {
        switch (gates.DType)
        {
            case DType.Float32: GruBlockCell<float>(gates, candidateFromX, hPrev, candidateKernel, z, r, c, h); break;
            case DType.Float64: GruBlockCell<double>(gates, candidateFromX, hPrev, candidateKernel, z, r, c, h); break;
            default: throw Unsupported(nameof(GruBlockCell), gates.DType);
        }
    }

    /// <inheritdoc/>
    public void GruBlockCellGrad(Tensor z, Tensor r, Tensor c, Tensor dh, Tensor? hPrev, Tensor? candidateKernel, Tensor dGates, Tensor dCandidate, Tensor? dhPrev)
    {
        switch (z.DType)
        {
            case DType.Float32: GruBlockCellGrad<float>(z, r, c, dh, hPrev, candidateKernel, dGates, dCandidate, dhPrev); break;
            case DType.Float64: GruBlockCellGrad<double>(z, r, c, dh, hPrev, candidateKernel, dGates, dCandidate, dhPrev); break;
            default: throw Unsupported(nameof(GruBlockCellGrad), z.DType);
        }
    }

    /// <summary>
    /// The gates row by row with the vectorised Sigmoid, then whole-tensor passes around the one product; r h_{t-1} is
    /// kept in h until h is written, so the step needs no scratch.
    /// </summary>
    private void GruBlockCell<T>(Tensor gates, Tensor candidateFromX, Tensor? hPrev, Tensor? candidateKernel, Tensor z, Tensor r, Tensor c, Tensor h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = z.Shape[-1];
        ReadOnlySpan<T> gs = gates.ReadOnlySpan<T>();
        Span<T> zs = z.Span<T>(), rs = r.Span<T>(), cs = c.Span<T>(), hs = h.Span<T>();
        for (int row = 0; row < zs.Length / Math.Max(units, 1); row++)
        {
            TensorPrimitives.Sigmoid(gs.Slice(row * 2 * units, units), zs.Slice(row * units, units));
            TensorPrimitives.Sigmoid(gs.Slice(row * 2 * units + units, units), rs.Slice(row * units, units));
        }
        if (hPrev is null)
        {
            TensorPrimitives.Tanh(candidateFromX.ReadOnlySpan<T>(), cs);
            TensorPrimitives.Multiply(zs, cs, hs);
            TensorPrimitives.Subtract(cs, hs, hs);   // (1 - z) c
            return;
        }
        ReadOnlySpan<T> previous = hPrev.ReadOnlySpan<T>();
        TensorPrimitives.Multiply(rs, previous, hs);
        MatMul(h, candidateKernel!, transposeA: false, transposeB: false, c);
        TensorPrimitives.Add(candidateFromX.ReadOnlySpan<T>(), cs, cs);
        TensorPrimitives.Tanh(cs, cs);
        TensorPrimitives.Subtract(previous, cs, hs);
        TensorPrimitives.MultiplyAdd(zs, hs, cs, hs);   // c + z (h_{t-1} - c) = z h_{t-1} + (1 - z) c
    }

    /// <summary>
    /// One pass for dc̄ and dz̄, the product d(r h) = dc̄ U_hᵀ (kept in dhPrev until dhPrev is written), and one pass for
    /// dr̄ and dhPrev; z, r and c come from the forward step, so nothing is recomputed.
    /// </summary>
    private void GruBlockCellGrad<T>(Tensor z, Tensor r, Tensor c, Tensor dh, Tensor? hPrev, Tensor? candidateKernel, Tensor dGates, Tensor dCandidate, Tensor? dhPrev)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = z.Shape[-1];
        ReadOnlySpan<T> zs = z.ReadOnlySpan<T>(), rs = r.ReadOnlySpan<T>(), cs = c.ReadOnlySpan<T>(), dhs = dh.ReadOnlySpan<T>();
        ReadOnlySpan<T> previous = hPrev is null ? default : hPrev.ReadOnlySpan<T>();
        Span<T> dgs = dGates.Span<T>(), dcs = dCandidate.Span<T>();
        int rows = zs.Length / Math.Max(units, 1);
        for (int row = 0; row < rows; row++)
            for (int j = 0; j < units; j++)
            {
                int k = row * units + j;
                T zk = zs[k], ck = cs[k], dhk = dhs[k], hk = hPrev is null ? T.Zero : previous[k];
                dcs[k] = dhk * (T.One - zk) * (T.One - ck * ck);
                dgs[row * 2 * units + j] = dhk * (hk - ck) * zk * (T.One - zk);
                if (hPrev is null) dgs[row * 2 * units + units + j] = T.Zero;
            }
        if (hPrev is null) return;
        MatMul(dCandidate, candidateKernel!, transposeA: false, transposeB: true, dhPrev!);
        Span<T> dhp = dhPrev!.Span<T>();
        for (int row = 0; row < rows; row++)
            for (int j = 0; j < units; j++)
            {
                int k = row * units + j;
                T dReset = dhp[k], rk = rs[k];
                dgs[row * 2 * units + units + j] = dReset * previous[k] * rk * (T.One - rk);
                dhp[k] = dhs[k] * zs[k] + dReset * rk;
            }
    }
}
