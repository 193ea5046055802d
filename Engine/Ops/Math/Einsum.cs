namespace GraphDL;

/// <summary>
/// An Einstein-summation equation taken apart: the letters of each operand and of the result. Every letter names
/// one axis size; a letter in the inputs but not in the result is summed over.
/// </summary>
internal sealed record EinsumEquation(string Text, string[] Inputs, string Output)
{
    /// <summary>
    /// Parses "ij,jk->ik". Without "->" the result is, as in NumPy and TF, the letters that appear exactly once,
    /// in alphabetical order ("ij,jk" is "ij,jk->ik"; "ii" is a trace).
    /// </summary>
    public static EinsumEquation Parse(string equation, int operands)
    {
        string text = equation.Replace(" ", "");
        if (text.Contains("..."))
            throw new ArgumentException($"Einsum '{equation}': an ellipsis (...) is not supported; name every axis with a letter.");
        int arrow = text.IndexOf("->", StringComparison.Ordinal);
        string left = arrow < 0 ? text : text[..arrow];
        string[] inputs = left.Split(',');
        if (inputs.Length != operands)
            throw new ArgumentException($"Einsum '{equation}' names {inputs.Length} operand(s) but was given {operands}.");
        string output;
        if (arrow < 0)
            output = string.Concat(left.Where(char.IsAsciiLetter).GroupBy(c => c).Where(c => c.Count() == 1).Select(c => c.Key).Order());
        else
        {
            output = text[(arrow + 2)..];
            if (output.Contains("->"))
                throw new ArgumentException($"Einsum '{equation}' has more than one '->'.");
        }
        foreach (char c in left.Replace(",", "") + output)
            if (!char.IsAsciiLetter(c))
                throw new ArgumentException($"Einsum '{equation}': '{c}' is not an axis letter (a-z, A-Z).");
        foreach (char c in output)
        {
            if (output.Count(o => o == c) > 1)
                throw new ArgumentException($"Einsum '{equation}': the result repeats the letter '{c}'.");
            if (!left.Contains(c))
                throw new ArgumentException($"Einsum '{equation}': the result's letter '{c}' appears in no operand.");
        }
        return new EinsumEquation(equation, inputs, output);
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// tf.einsum with one operand: "ij->ji" transposes, "ij->" sums everything, "ij->i" sums the rows, "ii->" is the
    /// trace and "ii->i" the diagonal. Built from Transpose, ReduceSum and Mul, so its gradient is theirs.
    /// </summary>
    /// <exception cref="ShapeException">The equation does not parse or does not fit the operand's shape.</exception>
    public Output Einsum(string equation, Output x, string? name = null) => Einsum(equation, [x], name);

    /// <summary>
    /// tf.einsum with two operands: "ij,jk->ik" (a matrix product), "bij,bjk->bik" (batched), "bi,bi->b"
    /// (row-wise dot products), "i,j->ij" (outer product), "bhqd,bhkd->bhqk" (attention scores), and any other
    /// pairing of letters. Letters in both operands and in the result are batch axes, letters in both operands
    /// only are summed over (contracted), the others stay; each operand's axes are brought into order with a
    /// Transpose, folded with a Reshape into one batched MatMul (or a broadcast Mul when nothing is contracted),
    /// and unfolded into the result's order, so the gradient is that of those ops. The ellipsis is not supported.
    /// </summary>
    /// <exception cref="ShapeException">The equation does not parse or does not fit the operands' shapes.</exception>
    public Output Einsum(string equation, Output a, Output b, string? name = null) => Einsum(equation, [a, b], name);

    private Output Einsum(string equation, Output[] operands, string? name)
    {
        EinsumEquation e;
        var sizes = new Dictionary<char, int>();
        try
        {
            e = EinsumEquation.Parse(equation, operands.Length);
            for (int i = 0; i < operands.Length; i++)
                RecordSizes(e, e.Inputs[i], operands[i], i, sizes);
        }
        catch (ArgumentException error)
        {
            throw new ShapeException(
                $"Cannot build Einsum from [{string.Join(", ", operands.Select(x => $"'{x.Name}' {x.DType} {x.Shape}"))}]: {error.Message}");
        }

        // The nodes come after the checks: a product refused halfway (operands of two dtypes) takes them all back.
        return Composite(nameof(Einsum), name, operands, () =>
        {
            using var scope = name is null ? null : Target.NameScope(name);
            var letters = new string[operands.Length];
            var reduced = new Output[operands.Length];
            for (int i = 0; i < operands.Length; i++)
            {
                // Sum out what no one else needs first: the later products and reshapes then move less.
                string keep = e.Output + (operands.Length == 2 ? e.Inputs[1 - i] : "");
                (reduced[i], letters[i]) = EinsumReduceAlone(e, operands[i], e.Inputs[i], keep, sizes);
            }
            if (operands.Length == 1) return EinsumPermute(reduced[0], letters[0], e.Output);
            return EinsumPair(e, reduced[0], letters[0], reduced[1], letters[1], sizes);
        });
    }

    /// <summary>Each letter's size, checked against its other appearances; an unknown size (-1) fits any.</summary>
    private static void RecordSizes(EinsumEquation e, string letters, Output x, int operand, Dictionary<char, int> sizes)
    {
        if (letters.Length != x.Shape.Rank)
            throw new ArgumentException(
                $"Einsum '{e.Text}': operand {operand} has {letters.Length} letters ('{letters}') but rank {x.Shape.Rank} {x.Shape}.");
        for (int axis = 0; axis < letters.Length; axis++)
        {
            int size = x.Shape[axis];
            if (!sizes.TryGetValue(letters[axis], out int seen) || seen == Shape.Unknown) sizes[letters[axis]] = size;
            else if (size != Shape.Unknown && size != seen)
                throw new ArgumentException(
                    $"Einsum '{e.Text}': letter '{letters[axis]}' is {seen} in one place and {size} in operand {operand} {x.Shape}.");
        }
    }

    /// <summary>
    /// One operand with its repeated letters reduced to their diagonal ("ii" → "i") and the letters outside
    /// <paramref name="keep"/> summed over, with the letters that remain.
    /// </summary>
    private (Output X, string Letters) EinsumReduceAlone(EinsumEquation e, Output x, string letters, string keep, Dictionary<char, int> sizes)
    {
        for (int first = 0; first < letters.Length; first++)
        {
            int again = letters.IndexOf(letters[first], first + 1);
            if (again < 0) continue;
            // The diagonal: zero every element off it with an identity mask, then sum the second axis away.
            int n = sizes[letters[first]];
            if (n == Shape.Unknown)
                throw new ShapeException($"Einsum '{e.Text}': the diagonal of letter '{letters[first]}' needs its size, which is unknown in {x.Shape}.");
            var maskShape = Enumerable.Repeat(1, letters.Length).ToArray();
            maskShape[first] = maskShape[again] = n;
            var mask = new Tensor(new Shape(maskShape), x.DType);
            int step = new Shape(maskShape).SizeOf(first + 1, letters.Length) + new Shape(maskShape).SizeOf(again + 1, letters.Length);
            for (int i = 0; i < n; i++) mask.SetDouble(i * step, 1);
            x = ReduceSum(Mul(x, Constant(mask)), again);
            letters = letters.Remove(again, 1);
            first--;   // the same letter may appear a third time
        }
        var alone = Enumerable.Range(0, letters.Length).Where(axis => !keep.Contains(letters[axis])).ToArray();
        if (alone.Length > 0)
        {
            x = ReduceSum(x, alone);
            letters = string.Concat(letters.Where(keep.Contains));
        }
        return (x, letters);
    }

    /// <summary>x, whose axes are named by <paramref name="letters"/>, transposed into the order of <paramref name="order"/> (a Transpose only when the order changes).</summary>
    private Output EinsumPermute(Output x, string letters, string order) =>
        letters == order ? x : Transpose(x, order.Select(c => letters.IndexOf(c)).ToArray());

    /// <summary>
    /// Two operands with no letter of their own left: batch letters (both operands and the result), contracted
    /// ones (both operands only) and free ones (one operand and the result), multiplied as a batch of (M, K) × (K, N).
    /// </summary>
    private Output EinsumPair(EinsumEquation e, Output a, string aLetters, Output b, string bLetters, Dictionary<char, int> sizes)
    {
        string batch = string.Concat(aLetters.Where(c => bLetters.Contains(c) && e.Output.Contains(c)));
        string contracted = string.Concat(aLetters.Where(c => bLetters.Contains(c) && !e.Output.Contains(c)));
        string freeA = string.Concat(aLetters.Where(c => !bLetters.Contains(c)));
        string freeB = string.Concat(bLetters.Where(c => !aLetters.Contains(c)));

        Output product;
        if (contracted.Length == 0)
        {
            // Nothing to sum: an outer product per batch element, (..., M, 1) · (..., 1, N) by broadcasting.
            var left = EinsumFold(e, EinsumPermute(a, aLetters, batch + freeA), batch, [freeA, ""], sizes);
            var right = EinsumFold(e, EinsumPermute(b, bLetters, batch + freeB), batch, ["", freeB], sizes);
            product = Mul(left, right);
        }
        else
        {
            // Where an operand already holds its axes as (contracted, free), MatMul's transpose flag reads it as it is.
            bool transposeA = aLetters != batch + freeA + contracted && aLetters == batch + contracted + freeA;
            bool transposeB = bLetters != batch + contracted + freeB && bLetters == batch + freeB + contracted;
            var left = transposeA
                ? EinsumFold(e, a, batch, [contracted, freeA], sizes)
                : EinsumFold(e, EinsumPermute(a, aLetters, batch + freeA + contracted), batch, [freeA, contracted], sizes);
            var right = transposeB
                ? EinsumFold(e, b, batch, [freeB, contracted], sizes)
                : EinsumFold(e, EinsumPermute(b, bLetters, batch + contracted + freeB), batch, [contracted, freeB], sizes);
            product = MatMul(left, right, transposeA, transposeB);
        }
        // (batch..., M, N) unfolded to (batch..., freeA..., freeB...), then into the result's order.
        string unfolded = batch + freeA + freeB;
        if (freeA.Length != 1 || freeB.Length != 1)
            product = Reshape(product, EinsumTarget(e, unfolded.Select(c => sizes[c]).ToArray()));
        return EinsumPermute(product, unfolded, e.Output);
    }

    /// <summary>
    /// x, with axes batch + groups[0] + groups[1], reshaped to (batch..., size of groups[0], size of groups[1]):
    /// the batch axes stay as they are (MatMul broadcasts them), each group folds into one axis.
    /// </summary>
    private Output EinsumFold(EinsumEquation e, Output x, string batch, string[] groups, Dictionary<char, int> sizes)
    {
        var target = batch.Select(c => sizes[c])
            .Concat(groups.Select(group => group.Aggregate(1, (p, c) => sizes[c] == Shape.Unknown || p == Shape.Unknown ? Shape.Unknown : p * sizes[c])))
            .ToArray();
        // With one letter per group the axes already are (batch..., M, K).
        return groups.All(group => group.Length == 1) ? x : Reshape(x, EinsumTarget(e, target));
    }

    /// <summary>A reshape target, which may leave one size unknown (-1) for the run time to fill in.</summary>
    private static int[] EinsumTarget(EinsumEquation e, int[] target)
    {
        if (target.Count(d => d == Shape.Unknown) > 1)
            throw new ShapeException(
                $"Einsum '{e.Text}' must fold axes into a shape ({string.Join(", ", target.Select(d => d < 0 ? "?" : d.ToString()))}) with more than one unknown size; feed shapes with at most one unknown axis.");
        return target;
    }
}
