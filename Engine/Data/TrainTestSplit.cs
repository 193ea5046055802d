namespace GraphDL.Data;

/// <summary>
/// The two parts <see cref="ModelSelection.TrainTestSplit(IReadOnlyList{Tensor}, double, int?, IReadOnlyList{int}?)"/>
/// cuts its tensors into: <see cref="Train"/>[i] and <see cref="Test"/>[i] are the rows of the i-th tensor given.
/// </summary>
public sealed class TrainTestParts
{
    internal TrainTestParts(Tensor[] train, Tensor[] test, int[] trainRows, int[] testRows)
    {
        Train = train;
        Test = test;
        TrainRows = trainRows;
        TestRows = testRows;
    }

    /// <summary>The training rows of each tensor, in the order the tensors were given.</summary>
    public IReadOnlyList<Tensor> Train { get; }

    /// <summary>The test rows of each tensor, in the order the tensors were given.</summary>
    public IReadOnlyList<Tensor> Test { get; }

    /// <summary>Which original rows went into the training part, in the order they appear there.</summary>
    public IReadOnlyList<int> TrainRows { get; }

    /// <summary>Which original rows went into the test part, in the order they appear there.</summary>
    public IReadOnlyList<int> TestRows { get; }
}

/// <summary>scikit-learn's <c>sklearn.model_selection</c>: splitting data into a training and a test part.</summary>
public static class ModelSelection
{
    /// <summary>
    /// sklearn's <c>X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=..., random_state=...)</c>
    /// for the usual pair of features and labels: a fraction of the rows, shuffled by <paramref name="seed"/>,
    /// goes to the test part.
    /// </summary>
    /// <param name="x">The features, rows on axis 0.</param>
    /// <param name="y">The labels, as many rows as <paramref name="x"/>.</param>
    /// <param name="testSize">The share of rows for the test part, strictly between 0 and 1; the test part gets ceil(testSize·n) rows, as sklearn's.</param>
    /// <param name="seed">sklearn's <c>random_state</c>: the same seed gives the same split; null shuffles differently each time.</param>
    /// <param name="stratify">sklearn's <c>stratify</c>: a class per row, whose shares both parts keep.</param>
    public static (Tensor XTrain, Tensor XTest, Tensor YTrain, Tensor YTest) TrainTestSplit(
        Tensor x, Tensor y, double testSize = 0.25, int? seed = null, IReadOnlyList<int>? stratify = null)
    {
        var parts = TrainTestSplit([x, y], testSize, seed, stratify);
        return (parts.Train[0], parts.Test[0], parts.Train[1], parts.Test[1]);
    }

    /// <summary>sklearn's <c>train_test_split(X, y, test_size=count)</c> with an integer test size: exactly <paramref name="testSize"/> test rows.</summary>
    /// <inheritdoc cref="TrainTestSplit(Tensor, Tensor, double, int?, IReadOnlyList{int}?)"/>
    public static (Tensor XTrain, Tensor XTest, Tensor YTrain, Tensor YTest) TrainTestSplit(
        Tensor x, Tensor y, int testSize, int? seed = null, IReadOnlyList<int>? stratify = null)
    {
        var parts = TrainTestSplit([x, y], testSize, seed, stratify);
        return (parts.Train[0], parts.Test[0], parts.Train[1], parts.Test[1]);
    }

    /// <summary>
    /// sklearn's <c>train_test_split(*arrays, test_size=fraction, random_state=seed, stratify=labels)</c>: every
    /// tensor is cut along axis 0 by the same shuffled rows. The test part gets ceil(testSize·n) rows and the
    /// training part the rest, as sklearn counts them.
    /// </summary>
    /// <param name="arrays">One or more tensors with the same number of rows (axis 0).</param>
    /// <param name="testSize">The share of rows for the test part, strictly between 0 and 1.</param>
    /// <param name="seed">sklearn's <c>random_state</c>: the same seed gives the same split; null shuffles differently each time.</param>
    /// <param name="stratify">sklearn's <c>stratify</c>: a class per row; each class then has (as nearly as whole rows allow) the same share in both parts.</param>
    public static TrainTestParts TrainTestSplit(IReadOnlyList<Tensor> arrays, double testSize = 0.25, int? seed = null, IReadOnlyList<int>? stratify = null)
    {
        int n = RowCount(arrays);
        if (!(testSize > 0 && testSize < 1))
            throw new ArgumentOutOfRangeException(nameof(testSize), testSize,
                $"test_size={testSize} should be a fraction strictly between 0 and 1, or a whole number of rows between 1 and {n - 1} (pass an int).");
        return Split(arrays, n, (int)Math.Ceiling(testSize * n), seed, stratify);
    }

    /// <summary>sklearn's <c>train_test_split(*arrays, test_size=count)</c> with an integer test size: exactly <paramref name="testSize"/> rows go to the test part.</summary>
    /// <inheritdoc cref="TrainTestSplit(IReadOnlyList{Tensor}, double, int?, IReadOnlyList{int}?)"/>
    public static TrainTestParts TrainTestSplit(IReadOnlyList<Tensor> arrays, int testSize, int? seed = null, IReadOnlyList<int>? stratify = null)
    {
        int n = RowCount(arrays);
        if (testSize < 1 || testSize >= n)
            throw new ArgumentOutOfRangeException(nameof(testSize), testSize,
                $"test_size={testSize} rows leaves no rows for one of the parts: with {n} rows it must be between 1 and {n - 1}.");
        return Split(arrays, n, testSize, seed, stratify);
    }

    private static int RowCount(IReadOnlyList<Tensor> arrays)
    {
        if (arrays.Count == 0) throw new ArgumentException("train_test_split needs at least one tensor to split.", nameof(arrays));
        for (int i = 0; i < arrays.Count; i++)
            if (arrays[i].Rank == 0)
                throw new ShapeException($"Tensor {i} given to train_test_split is a scalar; it needs rows on axis 0.");
        int n = arrays[0].Shape[0];
        for (int i = 1; i < arrays.Count; i++)
            if (arrays[i].Shape[0] != n)
                throw new ShapeException($"The tensors given to train_test_split have different numbers of rows: tensor 0 has shape {arrays[0].Shape}, tensor {i} has shape {arrays[i].Shape}.");
        if (n < 2) throw new ShapeException($"train_test_split needs at least 2 rows to make two parts; the tensors have {n}.");
        return n;
    }

    private static TrainTestParts Split(IReadOnlyList<Tensor> arrays, int n, int testCount, int? seed, IReadOnlyList<int>? stratify)
    {
        var random = seed is int s ? new Random(s) : new Random();
        int[] testRows, trainRows;
        if (stratify is null)
        {
            int[] order = Permutation(n, random);
            testRows = order[..testCount];
            trainRows = order[testCount..];
        }
        else
        {
            (trainRows, testRows) = StratifiedRows(stratify, n, testCount, random);
        }
        var train = arrays.Select(a => GatherRows(a, trainRows)).ToArray();
        var test = arrays.Select(a => GatherRows(a, testRows)).ToArray();
        return new TrainTestParts(train, test, trainRows, testRows);
    }

    private static int[] Permutation(int n, Random random)
    {
        int[] order = [.. Enumerable.Range(0, n)];
        random.Shuffle(order);
        return order;
    }

    // Each class gives its share of the test rows, rounded down, and the rows still missing go to the classes
    // whose shares were cut most by the rounding (ties to the larger class): the largest-remainder rule, which
    // keeps every class within one row of its exact share in both parts.
    private static (int[] Train, int[] Test) StratifiedRows(IReadOnlyList<int> classes, int n, int testCount, Random random)
    {
        if (classes.Count != n)
            throw new ShapeException($"stratify has {classes.Count} labels, but the tensors have {n} rows.");
        var members = classes.Select((c, row) => (c, row)).GroupBy(p => p.c).OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Select(p => p.row).ToArray());
        foreach (var (label, rows) in members)
            if (rows.Length < 2)
                throw new ArgumentException($"The least populated class in stratify, class {label}, has only 1 member, which is too few: every class needs at least 2, one for each part.", "stratify");
        int classCount = members.Count;
        if (testCount < classCount || n - testCount < classCount)
            throw new ArgumentException($"A stratified split of {n} rows into {n - testCount} training and {testCount} test rows cannot hold each of the {classCount} classes in both parts; both parts need at least {classCount} rows.");

        var share = members.ToDictionary(m => m.Key, m => (double)m.Value.Length * testCount / n);
        var take = share.ToDictionary(p => p.Key, p => Math.Clamp((int)Math.Floor(p.Value), 1, members[p.Key].Length - 1));
        int missing = testCount - take.Values.Sum();
        var byRemainder = share.Keys.OrderByDescending(k => share[k] - Math.Floor(share[k])).ThenByDescending(k => members[k].Length).ToList();
        for (int i = 0; missing != 0; i = (i + 1) % byRemainder.Count)
        {
            int k = byRemainder[i];
            if (missing > 0 && take[k] < members[k].Length - 1) { take[k]++; missing--; }
            else if (missing < 0 && take[k] > 1) { take[k]--; missing++; }
        }

        var test = new List<int>(testCount);
        var train = new List<int>(n - testCount);
        foreach (var (label, rows) in members)
        {
            int[] shuffled = [.. rows];
            random.Shuffle(shuffled);
            test.AddRange(shuffled[..take[label]]);
            train.AddRange(shuffled[take[label]..]);
        }
        // Classes would otherwise come in blocks, which a model trained without shuffling would notice.
        int[] testRows = [.. test], trainRows = [.. train];
        random.Shuffle(testRows);
        random.Shuffle(trainRows);
        return (trainRows, testRows);
    }

    /// <summary>The rows of <paramref name="tensor"/> (axis 0) at <paramref name="rows"/>, in that order, as a new host tensor.</summary>
    internal static Tensor GatherRows(Tensor tensor, IReadOnlyList<int> rows)
    {
        var host = tensor.ToHost();
        int[] dims = [.. host.Shape.Dims];
        int rowSize = dims[0] == 0 ? 0 : host.Size / dims[0];
        dims[0] = rows.Count;
        var result = new Tensor(new Shape(dims), host.DType);
        switch (host.DType)
        {
            case DType.Float32: Copy<float>(host, result, rows, rowSize); break;
            case DType.Float64: Copy<double>(host, result, rows, rowSize); break;
            case DType.Int32: Copy<int>(host, result, rows, rowSize); break;
            case DType.Bool: Copy<bool>(host, result, rows, rowSize); break;
            default: throw new NotSupportedException($"train_test_split cannot split a {host.DType} tensor.");
        }
        return result;
    }

    private static void Copy<T>(Tensor from, Tensor to, IReadOnlyList<int> rows, int rowSize)
    {
        var source = from.ReadOnlySpan<T>();
        var target = to.Span<T>();
        for (int i = 0; i < rows.Count; i++)
            source.Slice(rows[i] * rowSize, rowSize).CopyTo(target.Slice(i * rowSize, rowSize));
    }
}
