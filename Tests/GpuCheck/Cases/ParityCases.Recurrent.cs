namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    /// <summary>
    /// The fused LSTM and GRU steps and their gradients, with a previous state and from the zero state, on shapes whose
    /// element counts are and are not multiples of a block (1x1, 3x5, 32x128, 7x300), with pre-activations large enough
    /// (±6) to saturate the gates.
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
        foreach (var (rows, units) in shapes)
            foreach (bool previous in new[] { true, false })
                foreach (var testCase in Gru(family, rows, units, previous)) yield return testCase;
    }

    /// <summary>
    /// The fused GRU step and its gradient on one shape, with h_prev and U_h (so the product between the backend's two
    /// kernels runs too) and from the zero state; gate pre-activations of ±6 saturate the gates.
    /// </summary>
    private static IEnumerable<ParityCase> Gru(string family, int rows, int units, bool previous)
    {
        var gates = new Shape(rows, 2 * units);
        var state = new Shape(rows, units);
        var kernel = new Shape(units, units);
        string what = $"{rows}x{units}, {(previous ? "with h_prev" : "zero state")}";
        yield return new(family, $"GruBlockCell {what}", be =>
        {
            var (z, r, c, h) = (Kit.Out(be, state), Kit.Out(be, state), Kit.Out(be, state), Kit.Out(be, state));
            be.GruBlockCell(Kit.On(be, Kit.Random(gates, 7, -6, 6)), Kit.On(be, Kit.Random(state, 8, -2, 2)),
                previous ? Kit.On(be, Kit.Random(state, 9, -1, 1)) : null, previous ? Kit.On(be, Kit.Random(kernel, 10, -0.5, 0.5)) : null, z, r, c, h);
            return [z, r, c, h];
        });
        yield return new(family, $"GruBlockCellGrad {what}", be =>
        {
            var (dGates, dCandidate) = (Kit.Out(be, gates), Kit.Out(be, state));
            var dhPrev = previous ? Kit.Out(be, state) : null;
            be.GruBlockCellGrad(Kit.On(be, Kit.Random(state, 11, 0, 1)), Kit.On(be, Kit.Random(state, 12, 0, 1)), Kit.On(be, Kit.Random(state, 13, -1, 1)),
                Kit.On(be, Kit.Random(state, 14, -1, 1)), previous ? Kit.On(be, Kit.Random(state, 15, -1, 1)) : null,
                previous ? Kit.On(be, Kit.Random(kernel, 16, -0.5, 0.5)) : null, dGates, dCandidate, dhPrev);
            return dhPrev is null ? [dGates, dCandidate] : [dGates, dCandidate, dhPrev];
        });
    }
}
