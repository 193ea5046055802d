namespace GraphDL;

/// <summary>Free buffers of a binding run, by dtype and size; a buffer taken for another shape of the same size is viewed as it.</summary>
internal sealed class BufferPool
{
    private readonly Dictionary<(DType, int), Stack<Tensor>> _free = [];

    public void Return(Tensor buffer)
    {
        var key = (buffer.DType, buffer.Size);
        if (!_free.TryGetValue(key, out var stack)) _free[key] = stack = new Stack<Tensor>();
        stack.Push(buffer);
    }

    /// <summary>
    /// Keeps one entry per storage array: steps that shared a buffer in the previous binding all hand it
    /// back, and two live steps must never be given the same storage.
    /// </summary>
    public void ForgetDuplicates()
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var key in _free.Keys.ToList())
            _free[key] = new Stack<Tensor>(_free[key].Where(t => seen.Add(t.Storage)));
    }

    public Tensor? Take(Shape shape, DType dtype)
    {
        if (!_free.TryGetValue((dtype, shape.Size), out var stack) || stack.Count == 0) return null;
        var buffer = stack.Pop();
        return buffer.Shape == shape ? buffer : buffer.Reshaped(shape);
    }
}
