using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cuda;

// Kernels/array.cu: pad_b32 and pad_b8 move elements by size (every dtype but Float64), pad_grad_f32 adds.
public sealed partial class CudaBackend
{
    /// <summary>array_padding: a tensor of shape Source padded into one of shape Padded, Before cells ahead along each axis.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ArrayPadding
    {
        public int Rank;
        public int Mode;
        public fixed int Source[ArrayMaxRank];
        public fixed int Padded[ArrayMaxRank];
        public fixed int Before[ArrayMaxRank];
    }

    /// <summary>One thread per element of y reads its cell of x or writes the constant, so no fill goes first.</summary>
    public void Pad(Tensor x, int[] before, PadMode mode, double constantValue, Tensor y)
    {
        const string primitive = "Pad";
        bool wide = MovesWideElements(primitive, x, y);
        var layout = PaddingOf(primitive, x.Shape, y.Shape, before, mode);
        // The same conversions as the CPU's, done here so the kernel moves bits only.
        int constantBits = x.DType switch
        {
            DType.Float32 => BitConverter.SingleToInt32Bits((float)constantValue),
            DType.Int32 => (int)constantValue,
            _ => constantValue != 0 ? 1 : 0,
        };
        if (y.Size == 0) return;
        Launch(wide ? "pad_b32" : "pad_b8", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), y.Size, layout, constantBits);
    }

    /// <summary>
    /// Constant mode is a Slice of dout. In the mirror modes each element of dx sums the cells of dout that read
    /// it, in the CPU's order, so the result is the same bits.
    /// </summary>
    public void PadGrad(Tensor dout, int[] before, PadMode mode, Tensor dx)
    {
        const string primitive = "PadGrad";
        if (mode == PadMode.Constant)
        {
            Slice(dout, before, dx);
            return;
        }
        RequireFloat32(primitive, dout, dx);
        var layout = PaddingOf(primitive, dx.Shape, dout.Shape, before, mode);
        if (dx.Size == 0) return;
        Launch("pad_grad_f32", BlocksFor(dx.Size), new Dim3(ThreadsPerBlock), Ptr(dout), Ptr(dx), dx.Size, layout);
    }

    private static unsafe ArrayPadding PaddingOf(string primitive, Shape source, Shape padded, int[] before, PadMode mode)
    {
        if (source.Rank > ArrayMaxRank)
            throw new MissingKernelException(primitive, $"its kernels take up to {ArrayMaxRank} axes, got shape {source}");
        if (padded.Rank != source.Rank || before.Length != source.Rank)
            throw new ShapeException($"{primitive}: shape {padded} is no padding of shape {source} with [{string.Join(", ", before)}] ahead.");
        var layout = new ArrayPadding { Rank = source.Rank, Mode = (int)mode };
        for (int a = 0; a < source.Rank; a++)
        {
            if (before[a] < 0 || padded[a] < source[a] + before[a])
                throw new ShapeException($"{primitive}: shape {padded} is no padding of shape {source} with [{string.Join(", ", before)}] ahead.");
            layout.Source[a] = source[a];
            layout.Padded[a] = padded[a];
            layout.Before[a] = before[a];
        }
        return layout;
    }
}
