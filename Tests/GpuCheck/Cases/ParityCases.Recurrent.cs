namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    /// <summary>
    /// The fused LSTM step and its gradient, with c_{t-1} and from the zero state, on shapes whose element counts are and
    /// are not multiples of a block (1x1, 3x5, 32x128, 7x300), with pre-activations large enough (±6) to saturate the gates.
    /// </summary>
    public static IEnumerable<ParityCase> Recurrent()
    {
        const string family = "Recurrent";
        (int Rows, int Units)[] shapes = [(1, 1), (3, 5), (32, 128), (7, 300)];
        foreach (var (rows, units) in shapes)
            foreach (bool previous in new[] { true, false })
            {
                var gates = new Shape(rows, 4 * units);
                var cell = new Shape(rows, units);
                string what = $"{rows}x{units}, {(previous ? "with c_prev" : "zero state")}";
                yield return new(family, $"LstmBlockCell {what}", be =>
                {
                    var (c, h) = (Kit.Out(be, cell), Kit.Out(be, cell));
                    be.LstmBlockCell(Kit.On(be, Kit.Random(gates, 1, -6, 6)), previous ? Kit.On(be, Kit.Random(cell, 2, -2, 2)) : null, c, h);
                    return [c, h];
                });
                yield return new(family, $"LstmBlockCellGrad {what}", be =>
                {
                    var dz = Kit.Out(be, gates);
                    var dcPrev = previous ? Kit.Out(be, cell) : null;
                    be.LstmBlockCellGrad(Kit.On(be, Kit.Random(gates, 3, -6, 6)), previous ? Kit.On(be, Kit.Random(cell, 4, -2, 2)) : null,
                        Kit.On(be, Kit.Random(cell, 5, -1, 1)), Kit.On(be, Kit.Random(cell, 6, -1, 1)), dz, dcPrev);
                    return dcPrev is null ? [dz] : [dz, dcPrev];
                });
            }
    }
}
