namespace GraphDL.Backends.Cuda;

// Kernels/elementwise.cu: one thread per output element. Float32 throughout, except that Binary's counter arithmetic
// and Compare also take Int32, and Where, Fill and Cast move Int32 and Bool too; Float64 always goes to the CPU.
public sealed partial class CudaBackend
{
    /// <inheritdoc/>
    public void Unary(UnaryFn fn, Tensor x, Tensor y, double alpha)
    {
        RequireFloat32("Unary", x, y);
        RequireSameElementCount("Unary", x, y);
        string kernel = fn switch
        {
            UnaryFn.Identity => "identity_f32",
            UnaryFn.Neg => "neg_f32",
            UnaryFn.Abs => "abs_f32",
            UnaryFn.Sign => "sign_f32",
            UnaryFn.Square => "square_f32",
            UnaryFn.Sqrt => "sqrt_f32",
            UnaryFn.Rsqrt => "rsqrt_f32",
            UnaryFn.Reciprocal => "reciprocal_f32",
            UnaryFn.Exp => "exp_f32",
            UnaryFn.Log => "log_f32",
            UnaryFn.Sin => "sin_f32",
            UnaryFn.Cos => "cos_f32",
            UnaryFn.Floor => "floor_f32",
            UnaryFn.Sigmoid => "sigmoid_f32",
            UnaryFn.Tanh => "tanh_f32",
            UnaryFn.Relu => "relu_f32",
            UnaryFn.Step => "step_f32",
            UnaryFn.Softplus => "softplus_f32",
            UnaryFn.LeakyRelu => "leaky_relu_f32",
            UnaryFn.Elu => "elu_f32",
            UnaryFn.Tan => "tan_f32",
            UnaryFn.Atan => "atan_f32",
            UnaryFn.Log1p => "log1p_f32",
            UnaryFn.Expm1 => "expm1_f32",
            UnaryFn.Round => "round_f32",
            _ => throw new MissingKernelException("Unary", $"no kernel computes {fn}"),
        };
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), y.Size, (float)alpha);
    }

    /// <inheritdoc/>
    public void Binary(BinaryFn fn, Tensor a, Tensor b, Tensor y)
    {
        if (a.DType != y.DType || b.DType != y.DType || y.DType is not (DType.Float32 or DType.Int32))
            throw new MissingKernelException("Binary", $"its kernels take two Float32 or two Int32 tensors of the output's dtype, got {a.DType} and {b.DType} into {y.DType}");
        string kernel = (fn, y.DType) switch
        {
            (BinaryFn.Add, DType.Float32) => "add_f32",
            (BinaryFn.Sub, DType.Float32) => "sub_f32",
            (BinaryFn.Mul, DType.Float32) => "mul_f32",
            (BinaryFn.Div, DType.Float32) => "div_f32",
            (BinaryFn.Pow, DType.Float32) => "pow_f32",
            (BinaryFn.Maximum, DType.Float32) => "maximum_f32",
            (BinaryFn.Minimum, DType.Float32) => "minimum_f32",
            (BinaryFn.SquaredDifference, DType.Float32) => "squared_difference_f32",
            (BinaryFn.ReluGrad, DType.Float32) => "relu_grad_f32",
            (BinaryFn.Add, DType.Int32) => "add_i32",
            (BinaryFn.Sub, DType.Int32) => "sub_i32",
            (BinaryFn.Mul, DType.Int32) => "mul_i32",
            (BinaryFn.Maximum, DType.Int32) => "maximum_i32",
            (BinaryFn.Minimum, DType.Int32) => "minimum_i32",
            _ => throw new MissingKernelException("Binary", $"no kernel computes {fn} on {y.DType}"),
        };
        var walk = BinaryWalk("Binary", y, a, b);
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(a), Ptr(b), Ptr(y), y.Size, walk);
    }

    /// <inheritdoc/>
    public void Compare(CompareFn fn, Tensor a, Tensor b, Tensor y)
    {
        if (a.DType != b.DType || a.DType is not (DType.Float32 or DType.Int32) || y.DType != DType.Bool)
            throw new MissingKernelException("Compare", $"its kernels compare two Float32 or two Int32 tensors into Bool, got {a.DType} and {b.DType} into {y.DType}");
        bool f32 = a.DType == DType.Float32;
        string kernel = fn switch
        {
            CompareFn.Equal => f32 ? "equal_f32" : "equal_i32",
            CompareFn.NotEqual => f32 ? "not_equal_f32" : "not_equal_i32",
            CompareFn.Less => f32 ? "less_f32" : "less_i32",
            CompareFn.LessEqual => f32 ? "less_equal_f32" : "less_equal_i32",
            CompareFn.Greater => f32 ? "greater_f32" : "greater_i32",
            CompareFn.GreaterEqual => f32 ? "greater_equal_f32" : "greater_equal_i32",
            _ => throw new MissingKernelException("Compare", $"no kernel computes {fn}"),
        };
        var walk = BinaryWalk("Compare", y, a, b);
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(a), Ptr(b), Ptr(y), y.Size, walk);
    }

    /// <inheritdoc/>
    public void Where(Tensor condition, Tensor a, Tensor b, Tensor y)
    {
        if (condition.DType != DType.Bool || a.DType != y.DType || b.DType != y.DType)
            throw new MissingKernelException("Where", $"its kernels pick between two tensors of the output's dtype under a Bool condition, got a {condition.DType} condition, {a.DType} and {b.DType} into {y.DType}");
        string kernel = y.DType switch
        {
            DType.Float32 or DType.Int32 => "where_b32",
            DType.Bool => "where_b8",
            _ => throw new MissingKernelException("Where", $"its kernels move 4- and 1-byte elements, got {y.DType}"),
        };
        var walk = condition.Shape == y.Shape && a.Shape == y.Shape && b.Shape == y.Shape
            ? Broadcast.Flat(y.Size)
            : Broadcast.Of("Where", y.Shape, a.Shape, b.Shape, condition.Shape);
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(condition), Ptr(a), Ptr(b), Ptr(y), y.Size, walk);
    }

    /// <inheritdoc/>
    public void Cast(Tensor x, Tensor y)
    {
        RequireSameElementCount("Cast", x, y);
        if (x.DType == y.DType)
        {
            Copy(x, y);
            return;
        }
        string kernel = (x.DType, y.DType) switch
        {
            (DType.Float32, DType.Int32) => "cast_f32_to_i32",
            (DType.Int32, DType.Float32) => "cast_i32_to_f32",
            (DType.Float32, DType.Bool) => "cast_f32_to_bool",
            (DType.Int32, DType.Bool) => "cast_i32_to_bool",
            (DType.Bool, DType.Float32) => "cast_bool_to_f32",
            (DType.Bool, DType.Int32) => "cast_bool_to_i32",
            _ => throw new MissingKernelException("Cast", $"no kernel converts {x.DType} to {y.DType}"),
        };
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), y.Size);
    }

    /// <inheritdoc/>
    public void Fill(Tensor y, double value)
    {
        (string kernel, int bits) = y.DType switch
        {
            DType.Float32 => ("fill_b32", BitConverter.SingleToInt32Bits((float)value)),
            DType.Int32 => ("fill_b32", (int)value),
            DType.Bool => ("fill_b8", value != 0 ? 1 : 0),
            _ => throw new MissingKernelException("Fill", $"its kernels fill 4- and 1-byte elements, got {y.DType}"),
        };
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(y), y.Size, bits);
    }

    /// <summary>ADD_N_MAX in elementwise.cu: the inputs one add_n_f32 launch adds.</summary>
    private const int AddNMax = 8;

    /// <inheritdoc/>
    public void AddN(IReadOnlyList<Tensor> x, Tensor y)
    {
        if (x.Count == 0) throw new ArgumentException("AddN needs at least one input.", nameof(x));
        RequireFloat32("AddN", y);
        foreach (var t in x)
        {
            RequireFloat32("AddN", t);
            RequireSameElementCount("AddN", t, y);
        }
        if (x.Count == 1)
        {
            Copy(x[0], y);
            return;
        }
        if (y.Size == 0) return;

        // Eight inputs a launch; each later launch starts from the sum so far in y and adds up to seven more,
        // so the additions happen left to right, in the CPU's order, whatever the count.
        Span<DevicePtr> p = stackalloc DevicePtr[AddNMax];
        var sum = Ptr(x[0]);
        int next = 1;
        while (true)
        {
            p.Clear();
            p[0] = sum;
            int count = 1;
            while (count < AddNMax && next < x.Count) p[count++] = Ptr(x[next++]);
            Launch("add_n_f32", BlocksFor(y.Size), new Dim3(ThreadsPerBlock),
                p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], count, Ptr(y), y.Size);
            if (next == x.Count) return;
            sum = Ptr(y);
        }
    }

    /// <summary>The walk of two operands into y: the flat one when both have y's shape.</summary>
    private static Broadcast BinaryWalk(string primitive, Tensor y, Tensor a, Tensor b) =>
        a.Shape == y.Shape && b.Shape == y.Shape ? Broadcast.Flat(y.Size) : Broadcast.Of(primitive, y.Shape, a.Shape, b.Shape);

    private static void RequireSameElementCount(string primitive, Tensor x, Tensor y)
    {
        if (x.Size != y.Size)
            throw new ShapeException($"{primitive}: a tensor of shape {x.Shape} does not match the output's shape {y.Shape}.");
    }
}
