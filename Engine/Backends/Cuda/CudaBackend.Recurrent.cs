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
}
