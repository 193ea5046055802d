namespace GraphDL.Backends.Cuda;

public sealed partial class CudaBackend
{
    /// <inheritdoc/>
    public void LstmBlockCell(Tensor z, Tensor? cPrev, Tensor c, Tensor h)
    {
        const string primitive = "LstmBlockCell";
        RequireFloat32(primitive, z, cPrev, c, h);
        int units = RequireLstmShapes(primitive, z, cPrev, c, h);
        if (c.Size == 0) return;
        Launch("lstm_block_cell_f32", BlocksFor(c.Size), new Dim3(ThreadsPerBlock),
            Ptr(z), cPrev is null ? DevicePtr.Null : Ptr(cPrev), Ptr(c), Ptr(h), c.Size / units, units);
    }

    /// <inheritdoc/>
    public void LstmBlockCellGrad(Tensor z, Tensor? cPrev, Tensor dc, Tensor dh, Tensor dz, Tensor? dcPrev)
    {
        const string primitive = "LstmBlockCellGrad";
        RequireFloat32(primitive, z, cPrev, dc, dh, dz, dcPrev);
        int units = RequireLstmShapes(primitive, z, cPrev, dc, dh);
        if (dz.Size != z.Size || (dcPrev is not null && dcPrev.Size != dc.Size))
            throw new ShapeException($"{primitive}: dz {dz.Shape} should have z's shape {z.Shape}, and dcPrev {dcPrev?.Shape} dc's {dc.Shape}.");
        if (dc.Size == 0) return;
        Launch("lstm_block_cell_grad_f32", BlocksFor(dc.Size), new Dim3(ThreadsPerBlock),
            Ptr(z), cPrev is null ? DevicePtr.Null : Ptr(cPrev), Ptr(dc), Ptr(dh), Ptr(dz), dcPrev is null ? DevicePtr.Null : Ptr(dcPrev),
            dc.Size / units, units);
    }

    /// <summary>The units of an LSTM step, checking that z has 4 of them per row of each (batch, units) tensor.</summary>
    private static int RequireLstmShapes(string primitive, Tensor z, Tensor? cPrev, Tensor a, Tensor b)
    {
        int units = a.Rank == 0 ? 0 : a.Shape[-1];
        if (z.Size != 4 * a.Size || b.Size != a.Size || (cPrev is not null && cPrev.Size != a.Size))
            throw new ShapeException($"{primitive}: z {z.Shape} should be (batch, 4 * units) for (batch, units) tensors {a.Shape}, {b.Shape}" +
                                     (cPrev is null ? "." : $" and c_prev {cPrev.Shape}."));
        return units;
    }

    /// <inheritdoc/>
    public void GruBlockCell(Tensor gates, Tensor candidateFromX, Tensor? hPrev, Tensor? candidateKernel, Tensor z, Tensor r, Tensor c, Tensor h)
    {
        const string primitive = "GruBlockCell";
        RequireFloat32(primitive, gates, candidateFromX, hPrev, candidateKernel, z, r, c, h);
        int units = RequireGruShapes(primitive, gates, hPrev, candidateKernel, candidateFromX, z, r, c, h);
        if (z.Size == 0) return;
        var (blocks, threads, rows) = (BlocksFor(z.Size), new Dim3(ThreadsPerBlock), z.Size / units);
        var previous = hPrev is null ? DevicePtr.Null : Ptr(hPrev);
        // r h_{t-1} goes into h, and the product into c: both are written again before the step ends.
        Launch("gru_block_cell_gates_f32", blocks, threads, Ptr(gates), previous, Ptr(z), Ptr(r), Ptr(h), rows, units);
        if (hPrev is not null) MatMul(h, candidateKernel!, transposeA: false, transposeB: false, c);
        Launch("gru_block_cell_output_f32", blocks, threads, Ptr(candidateFromX), previous, Ptr(z), Ptr(c), Ptr(c), Ptr(h), rows, units);
    }

    /// <inheritdoc/>
    public void GruBlockCellGrad(Tensor z, Tensor r, Tensor c, Tensor dh, Tensor? hPrev, Tensor? candidateKernel, Tensor dGates, Tensor dCandidate, Tensor? dhPrev)
    {
        const string primitive = "GruBlockCellGrad";
        RequireFloat32(primitive, z, r, c, dh, hPrev, candidateKernel, dGates, dCandidate, dhPrev);
        int units = RequireGruShapes(primitive, dGates, hPrev, candidateKernel, z, r, c, dh, dCandidate, dhPrev);
        if (hPrev is not null && dhPrev is null)
            throw new ArgumentException($"{primitive}: a step with h_prev {hPrev.Shape} needs dh_prev to write.");
        if (z.Size == 0) return;
        var (blocks, threads, rows) = (BlocksFor(z.Size), new Dim3(ThreadsPerBlock), z.Size / units);
        var previous = hPrev is null ? DevicePtr.Null : Ptr(hPrev);
        Launch("gru_block_cell_grad_output_f32", blocks, threads, Ptr(z), Ptr(c), Ptr(dh), previous, Ptr(dGates), Ptr(dCandidate), rows, units);
        if (hPrev is null) return;
        // d(r h) = dc̄ U_hᵀ goes into dh_prev, which the second kernel reads and overwrites element by element.
        MatMul(dCandidate, candidateKernel!, transposeA: false, transposeB: true, dhPrev!);
        Launch("gru_block_cell_grad_reset_f32", blocks, threads, Ptr(z), Ptr(r), Ptr(dh), previous, Ptr(dGates), Ptr(dhPrev!), rows, units);
    }

    /// <summary>
    /// The units of a GRU step, checking that <paramref name="gates"/> has 2 of them per row of each (batch, units)
    /// tensor, and that U_h, when there is one, is (units, units).
    /// </summary>
    private static int RequireGruShapes(string primitive, Tensor gates, Tensor? hPrev, Tensor? candidateKernel, params ReadOnlySpan<Tensor?> states)
    {
        var first = states[0]!;
        int units = first.Rank == 0 ? 0 : first.Shape[-1];
        bool fits = gates.Size == 2 * first.Size && (hPrev is null || hPrev.Size == first.Size) && (hPrev is null) == (candidateKernel is null)
                    && (candidateKernel is null || (candidateKernel.Rank == 2 && candidateKernel.Shape[0] == units && candidateKernel.Shape[1] == units));
        foreach (var state in states)
            fits &= state is null || state.Size == first.Size;
        if (!fits)
            throw new ShapeException($"{primitive}: gates {gates.Shape} should be (batch, 2 * units) for (batch, units) tensors {first.Shape}" +
                                     (hPrev is null ? "" : $", h_prev {hPrev.Shape}") + (candidateKernel is null ? "" : $" and U_h {candidateKernel.Shape} (units, units)") +
                                     ", all of one batch and units, and h_prev and U_h given together.");
        return units;
    }
}
