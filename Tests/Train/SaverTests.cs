using System.Diagnostics;
using System.IO.Compression;
using GraphDL.Data;
using GraphDL.Tests.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

public class SaverTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-saver-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>A graph with a variable of each dtype, a scalar and an empty one, named as layers name theirs.</summary>
    public sealed class Net
    {
        public readonly Graph Graph = new();
        public readonly Output Kernel, Bias, Step, Mask, Empty, Scale;

        public Net(int units = 10, DType stepType = DType.Int32, bool withMask = true)
        {
            var g = Graph;
            using (g.NameScope("dense"))
            {
                Kernel = g.Variable(Init.Zeros(784, units), "kernel");
                Bias = g.Variable(Init.Zeros(units), "bias");
            }
            Step = g.Variable(new Tensor(Shape.Scalar, stepType), "global_step", trainable: false);
            if (withMask) Mask = g.Variable(new Tensor(new Shape(2, 3), DType.Bool), "mask", trainable: false);
            Empty = g.Variable(new Tensor(new Shape(0, 3)), "empty");
            Scale = g.Variable(Tensor.Scalar(1.0), "scale");
        }

        public Output[] Variables => [.. Graph.GlobalVariables];

        public Session Start(int seed)
        {
            var s = new Session(Graph);
            s.Run(Graph.GlobalVariablesInitializer());
            Fill(s, seed);
            return s;
        }

        /// <summary>Gives every variable values that depend on <paramref name="seed"/>.</summary>
        public void Fill(Session s, int seed)
        {
            int k = seed;
            foreach (var v in Variables) s.SetValue(v, NpzTests.Sample(v.DType, v.Shape, k++ * 7919));
        }
    }

    private static Dictionary<string, byte[]> Snapshot(Session s, IEnumerable<Output> variables) =>
        variables.ToDictionary(v => v.Name, v => NpzTests.Bytes(s.GetValue(v)));

    private static void AssertValues(Session s, Dictionary<string, byte[]> expected, string because)
    {
        // SequenceEqual, not NUnit's element-by-element collection constraint: the fuzz loop compares thousands of bytes 300 times.
        foreach (var v in s.Graph.GlobalVariables.Where(v => expected.ContainsKey(v.Name)))
            Assert.That(NpzTests.Bytes(s.GetValue(v)).AsSpan().SequenceEqual(expected[v.Name]), Is.True, $"{v.Name}: {because}");
    }

    [Test]
    public void SaveAndRestoreEveryVariable()
    {
        var net = new Net();
        using var sess = net.Start(seed: 1);
        var saved = Snapshot(sess, net.Variables);
        var saver = new Saver(net.Graph);
        string path = saver.Save(sess, Path.Combine(_dir, "model"), globalStep: 1000);
        Assert.That(path, Is.EqualTo(Path.Combine(_dir, "model-1000.npz")));

        using (var zip = ZipFile.OpenRead(path))
            Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(new[]
                { "dense/kernel.npy", "dense/bias.npy", "global_step.npy", "mask.npy", "empty.npy", "scale.npy" }));
        var arrays = Npz.Load(path);
        Assert.That(arrays["dense/kernel"].Shape, Is.EqualTo(new Shape(784, 10)));
        Assert.That(arrays["global_step"].DType, Is.EqualTo(DType.Int32));
        Assert.That(arrays["mask"].DType, Is.EqualTo(DType.Bool));
        Assert.That(arrays["scale"].DType, Is.EqualTo(DType.Float64));

        net.Fill(sess, seed: 2);
        Assert.That(NpzTests.Bytes(sess.GetValue(net.Kernel)), Is.Not.EqualTo(saved[net.Kernel.Name]));
        saver.Restore(sess, path);
        AssertValues(sess, saved, "restored");

        // Another session of the same graph, never initialised: Restore alone gives it every value.
        using var fresh = new Session(net.Graph);
        saver.Restore(fresh, path);
        AssertValues(fresh, saved, "restored into a fresh session");
    }

    /// <summary>A session on the GPU backend (a real GPU, or the host emulation) keeps variables in device memory; checkpoints do not care.</summary>
    [Test]
    public void CheckpointsMoveBetweenDeviceAndHostSessions([Values("emulated", "gpu")] string kind)
    {
        GraphDL.Tests.Gpu.RequiresKernelEmulatorAttribute.SkipUnlessAvailable(kind);
        var backend = kind == "gpu" ? GraphDL.Backends.Cuda.CudaBackend.Gpu : GraphDL.Backends.Cuda.CudaBackend.Emulated;
        Assume.That(backend, Is.Not.Null, $"No GPU: {GraphDL.Backends.Cuda.CudaBackend.GpuUnavailableReason}");
        var g = new Graph { Seed = 3 };
        var w = g.Variable(Init.RandomUniform([3, 4], -1, 1), "w");
        var b = g.Variable(Init.Constant(0.5, 4), "b");
        var total = g.ReduceSum(w) + g.ReduceSum(b);
        var step = new GradientDescentOptimizer(0.1).Minimize(g.ReduceSum(w * w) + g.ReduceSum(b * b));
        var saver = new Saver(g);

        using var device = new Session(g, backend);
        device.Run(g.GlobalVariablesInitializer());
        device.Run(step);
        var trained = Snapshot(device, [w, b]);
        double trainedTotal = (double)device.Run(total);
        Assert.That(device.ReadVariable(w.Node).IsOnDevice, Is.True, "the variable lives in device memory");
        string path = saver.Save(device, _dir);

        using var host = new Session(g);
        saver.Restore(host, path);
        AssertValues(host, trained, "a host session restores what a device session saved");
        Assert.That((double)host.Run(total), Is.EqualTo(trainedTotal).Within(1e-5));

        device.Run(step);
        Assert.That((double)device.Run(total), Is.Not.EqualTo(trainedTotal).Within(1e-6));
        saver.Restore(device, path);
        AssertValues(device, trained, "the device session takes the checkpoint back");
        Assert.That((double)device.Run(total), Is.EqualTo(trainedTotal).Within(1e-5), "and computes with the restored values");

        // Training goes on from the restored values alike on both.
        device.Run(step);
        host.Run(step);
        Assert.That(device.GetValue(w).ToDoubles(), Is.EqualTo(host.GetValue(w).ToDoubles()).Within(1e-6));
        Assert.That(device.GetValue(b).ToDoubles(), Is.EqualTo(host.GetValue(b).ToDoubles()).Within(1e-6));
    }

    [Test]
    public void PathsPrefixesAndDirectories()
    {
        var net = new Net();
        using var sess = net.Start(seed: 3);
        var saver = new Saver(net.Variables, maxToKeep: null);
        Assert.That(saver.Save(sess, _dir), Is.EqualTo(Path.Combine(_dir, "model.npz")), "an existing directory means its 'model' prefix");
        Assert.That(saver.Save(sess, Path.Combine(_dir, "new") + Path.DirectorySeparatorChar, 5), Is.EqualTo(Path.Combine(_dir, "new", "model-5.npz")));
        Assert.That(saver.Save(sess, Path.Combine(_dir, "deep", "er", "best.npz")), Is.EqualTo(Path.Combine(_dir, "deep", "er", "best.npz")));
        Assert.That(saver.Save(sess, Path.Combine(_dir, "run.npz"), 7), Is.EqualTo(Path.Combine(_dir, "run-7.npz")));

        var saved = Snapshot(sess, net.Variables);
        net.Fill(sess, seed: 4);
        saver.Restore(sess, Path.Combine(_dir, "run-7"));
        AssertValues(sess, saved, "a path without .npz finds the file");
        net.Fill(sess, seed: 4);
        saver.Restore(sess, Path.Combine(_dir, "new"));
        AssertValues(sess, saved, "a directory means its latest checkpoint");

        var missing = Assert.Throws<FileNotFoundException>(() => saver.Restore(sess, Path.Combine(_dir, "nothing-here")));
        Assert.That(missing!.Message, Does.Contain("nothing-here"));
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        Assert.Throws<FileNotFoundException>(() => saver.Restore(sess, Path.Combine(_dir, "empty")));
        Assert.Throws<ArgumentOutOfRangeException>(() => saver.Save(sess, _dir, globalStep: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Saver(net.Graph, maxToKeep: -1));
        Assert.Throws<ArgumentException>(() => _ = new Saver(new Graph()), "no variables to save");
        var other = new Net();
        Assert.Throws<ArgumentException>(() => saver.Save(new Session(other.Graph), _dir), "a session of another graph");
        Assert.Throws<ArgumentException>(() => _ = new Saver([net.Kernel, other.Bias]), "variables of two graphs");
    }

    [Test]
    public void MaxToKeepDeletesTheOldestAndLatestFollowsTheOrderOfSaving()
    {
        var net = new Net();
        using var sess = net.Start(seed: 5);
        var saver = new Saver(net.Graph, maxToKeep: 3);
        string prefix = Path.Combine(_dir, "model");
        string best = new Saver(net.Graph, maxToKeep: 1).Save(sess, Path.Combine(_dir, "best.npz"));
        for (int step = 100; step <= 500; step += 100) saver.Save(sess, prefix, step);
        string[] Kept() => [.. Directory.GetFiles(_dir, "*.npz").Select(Path.GetFileName).Order()!];
        Assert.That(Kept(), Is.EqualTo(new[] { "best.npz", "model-300.npz", "model-400.npz", "model-500.npz" }), "another prefix is never rotated out");
        Assert.That(saver.LastCheckpoints, Is.EqualTo(new[] { 300, 400, 500 }.Select(s => Path.Combine(_dir, $"model-{s}.npz"))));
        Assert.That(Saver.Latest(_dir), Is.EqualTo(Path.Combine(_dir, "model-500.npz")));
        Assert.That(File.ReadAllLines(Path.Combine(_dir, Saver.IndexFileName)).Where(l => !l.StartsWith('#')),
            Is.EqualTo(new[] { "best.npz", "model-300.npz", "model-400.npz", "model-500.npz" }));

        // A resumed run saves a smaller step after larger ones: it is the latest, and the oldest save goes.
        var resumed = new Saver(net.Graph, maxToKeep: 3);
        resumed.Save(sess, prefix, 200);
        Assert.That(Saver.Latest(_dir), Is.EqualTo(Path.Combine(_dir, "model-200.npz")));
        Assert.That(Kept(), Is.EqualTo(new[] { "best.npz", "model-200.npz", "model-400.npz", "model-500.npz" }), "a new saver goes on rotating the index's files");

        // Saving a step again moves it to the end instead of listing it twice.
        resumed.Save(sess, prefix, 400);
        Assert.That(resumed.LastCheckpoints.Select(Path.GetFileName), Is.EqualTo(new[] { "model-500.npz", "model-200.npz", "model-400.npz" }));

        Assert.That(best, Does.EndWith("best.npz"));
        Assert.That(File.Exists(best));

        // Without an index, the highest step wins; a directory with no checkpoint gives null.
        File.Delete(Path.Combine(_dir, Saver.IndexFileName));
        Assert.That(Saver.Latest(_dir), Is.EqualTo(Path.Combine(_dir, "model-500.npz")));
        Assert.That(Saver.Latest(Path.Combine(_dir, "absent")), Is.Null);
        Directory.CreateDirectory(Path.Combine(_dir, "none"));
        Assert.That(Saver.Latest(Path.Combine(_dir, "none")), Is.Null);

        // An index that names paths outside the directory, or files that are gone, is not followed there.
        File.WriteAllLines(Path.Combine(_dir, Saver.IndexFileName), ["model-400.npz", "../elsewhere.npz", "gone.npz"]);
        Assert.That(Saver.Latest(_dir), Is.EqualTo(Path.Combine(_dir, "model-400.npz")));
    }

    [Test]
    public void MaxToKeepNullOrZeroKeepsEverything([Values(null, 0)] int? maxToKeep)
    {
        var net = new Net();
        using var sess = net.Start(seed: 6);
        var saver = new Saver(net.Graph, maxToKeep);
        for (int step = 1; step <= 8; step++) saver.Save(sess, Path.Combine(_dir, "model"), step);
        Assert.That(Directory.GetFiles(_dir, "*.npz"), Has.Length.EqualTo(8));
        Assert.That(saver.MaxToKeep, Is.Null);
    }

    [Test]
    public void WriteStateFalseWritesOnlyTheFile()
    {
        var net = new Net();
        using var sess = net.Start(seed: 6);
        var saver = new Saver(net.Graph, maxToKeep: 1);
        saver.Save(sess, Path.Combine(_dir, "model"), 1, writeState: false);
        saver.Save(sess, Path.Combine(_dir, "model"), 2, writeState: false);
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "model-1.npz", "model-2.npz" }));
    }

    [Test]
    public void AFailedSaveLeavesThePreviousCheckpointAndNoTemporaryFile()
    {
        var net = new Net();
        var saver = new Saver(net.Graph);
        string path;
        using (var first = net.Start(seed: 7)) path = saver.Save(first, _dir);
        byte[] before = File.ReadAllBytes(path);
        string index = File.ReadAllText(Path.Combine(_dir, Saver.IndexFileName));

        // A variable without a value halfway through: the kernel and bias are written before the step fails.
        using var second = new Session(net.Graph);
        second.SetValue(net.Kernel, NpzTests.Sample(DType.Float32, net.Kernel.Shape, 99));
        second.SetValue(net.Bias, NpzTests.Sample(DType.Float32, net.Bias.Shape, 98));
        var e = Assert.Throws<RunException>(() => saver.Save(second, _dir));
        Assert.That(e!.Message, Does.Contain("global_step"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { Saver.IndexFileName, "model.npz" }));

        // A disk that fails part-way (an injected stream that throws after 5000 bytes).
        using var third = net.Start(seed: 8);
        saver.WrapStream = s => new FailingStream(s, failAfter: 5000);
        Assert.Throws<IOException>(() => saver.Save(third, _dir));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before), "the previous checkpoint is intact");
        Assert.That(File.ReadAllText(Path.Combine(_dir, Saver.IndexFileName)), Is.EqualTo(index));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { Saver.IndexFileName, "model.npz" }));

        // And the next save that can finish replaces the file.
        saver.WrapStream = null;
        saver.Save(third, _dir);
        Assert.That(File.ReadAllBytes(path), Is.Not.EqualTo(before));
    }

    /// <summary>Passes writes through until a byte budget is spent, then fails as a full disk would.</summary>
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > failAfter) throw new IOException("No space left on device (simulated).");
            _written += buffer.Length;
            inner.Write(buffer);
        }
    }

    private static IEnumerable<TestCaseData> Mismatches()
    {
        yield return new TestCaseData(new Func<Net>(() => new Net(units: 20)),
            new[] { "variable 'dense/kernel' has shape (784, 10) in the file, (784, 20) in the graph", "variable 'dense/bias' has shape (10,) in the file, (20,) in the graph" })
            .SetName("RestoreRejects_WrongShape");
        yield return new TestCaseData(new Func<Net>(() => new Net(stepType: DType.Float32)),
            new[] { "variable 'global_step' is Int32 ('<i4') in the file, Float32 in the graph" })
            .SetName("RestoreRejects_WrongDType");
        yield return new TestCaseData(new Func<Net>(() =>
        {
            var net = new Net();
            net.Graph.Variable(Init.Zeros(3), "extra");
            return net;
        }), new[] { "variable 'extra' is missing from the file" }).SetName("RestoreRejects_MissingVariable");
    }

    [TestCaseSource(nameof(Mismatches))]
    public void RestoreThatDoesNotFitChangesNothingAndSaysWhy(Func<Net> target, string[] expected)
    {
        var source = new Net();
        string path;
        using (var s = source.Start(seed: 10)) path = new Saver(source.Graph).Save(s, _dir);

        var net = target();
        using var sess = new Session(net.Graph);
        sess.Run(net.Graph.GlobalVariablesInitializer());
        int k = 50;
        foreach (var v in net.Graph.GlobalVariables) sess.SetValue(v, NpzTests.Sample(v.DType, v.Shape, k++));
        var before = Snapshot(sess, net.Graph.GlobalVariables);
        var e = Assert.Throws<InvalidDataException>(() => new Saver(net.Graph).Restore(sess, path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("no variable was restored"));
        foreach (string problem in expected) Assert.That(e.Message, Does.Contain(problem));
        AssertValues(sess, before, "a restore that does not fit changes no variable, not even those that fit");
        Assert.That(before, Has.Count.EqualTo(net.Graph.GlobalVariables.Count));
    }

    [Test]
    public void EntriesTheSaverDoesNotKnowAreIgnored()
    {
        var big = new Net();
        string path;
        using (var s = big.Start(seed: 11)) path = new Saver(big.Graph).Save(s, _dir);
        var small = new Net(withMask: false);
        using var sess = small.Start(seed: 12);
        new Saver(small.Graph).Restore(sess, path);
        Assert.That(NpzTests.Bytes(sess.GetValue(small.Kernel)), Is.EqualTo(NpzTests.Bytes(Npz.Load(path)["dense/kernel"])));
    }

    [Test]
    public void TruncatedCheckpointNamesTheFileAndChangesNothing()
    {
        var net = new Net();
        string path;
        using (var s = net.Start(seed: 13)) path = new Saver(net.Graph).Save(s, _dir);
        byte[] whole = File.ReadAllBytes(path);
        using var sess = net.Start(seed: 14);
        var before = Snapshot(sess, net.Variables);
        foreach (int length in new[] { 0, 1, 100, whole.Length / 2, whole.Length - 1 })
        {
            File.WriteAllBytes(path, whole[..length]);
            var e = Assert.Throws<InvalidDataException>(() => new Saver(net.Graph).Restore(sess, path), $"{length} bytes");
            Assert.That(e!.Message, Does.Contain(path));
            AssertValues(sess, before, $"cut at {length} bytes");
        }
    }

    /// <summary>
    /// Damaged checkpoints, on disk, restored into a session: every restore either fails with InvalidDataException
    /// and leaves every variable as it was, or (when the damage hit bytes no reader uses, such as a time stamp)
    /// restores exactly the saved values.
    /// </summary>
    [Test]
    public void FuzzedCheckpointsFailCleanly()
    {
        var net = new Net(units: 4);
        string path = Path.Combine(_dir, "model.npz");
        Dictionary<string, byte[]> saved;
        using (var s = net.Start(seed: 15))
        {
            new Saver(net.Graph).Save(s, path, writeState: false);
            saved = Snapshot(s, net.Variables);
        }
        byte[] whole = File.ReadAllBytes(path);
        using var sess = net.Start(seed: 16);
        var current = Snapshot(sess, net.Variables);
        var saver = new Saver(net.Graph);
        var random = new Random(31337);
        var clock = Stopwatch.StartNew();
        int rejected = 0, restored = 0;
        for (int iteration = 0; iteration < 300; iteration++)
        {
            byte[] damaged;
            switch (iteration % 3)
            {
                case 0: damaged = whole[..random.Next(whole.Length)]; break;
                case 1:
                    damaged = (byte[])whole.Clone();
                    for (int flips = random.Next(1, 4); flips > 0; flips--) damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                default:
                    damaged = new byte[random.Next(whole.Length)];
                    random.NextBytes(damaged);
                    if (random.Next(2) == 0 && damaged.Length >= 4) "PK\u0003\u0004"u8.CopyTo(damaged);
                    break;
            }
            File.WriteAllBytes(path, damaged);
            try
            {
                saver.Restore(sess, path);
                AssertValues(sess, saved, $"iteration {iteration} restored without error, so it restored the saved values");
                restored++;
                net.Fill(sess, seed: 16);
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.Contain(path), $"iteration {iteration}");
                AssertValues(sess, current, $"iteration {iteration} failed, so nothing changed");
                rejected++;
            }
        }
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(rejected, Is.GreaterThan(250), $"restored {restored}");
        Console.WriteLine($"fuzz: {rejected} rejected, {restored} restored exactly, {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// Saving writes the variables from their own tensors, and restoring reads each value over the variable's old one:
    /// neither allocates a copy, where reading the whole file first and then setting took three copies, and a
    /// checkpoint of several GiB did not fit beside its variables.
    /// </summary>
    [Test]
    public void SavingAndRestoringCopyNoVariable()
    {
        const int Count = 4, Elements = 1 << 20;
        long total = (long)Count * Elements * sizeof(float);
        var g = new Graph();
        var variables = Enumerable.Range(0, Count).Select(i => g.Variable(Init.RandomNormal([Elements], seed: i), $"block{i}")).ToArray();
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var saver = new Saver(variables);
        var expected = variables.Select(v => NpzTests.Bytes(session.GetValue(v))).ToArray();
        saver.Save(session, Path.Combine(_dir, "warm-up"));

        long before = GC.GetAllocatedBytesForCurrentThread();
        string file = saver.Save(session, Path.Combine(_dir, "model"));
        long saving = GC.GetAllocatedBytesForCurrentThread() - before;

        foreach (var v in variables) session.SetValue(v, new Tensor(new Shape(Elements)));
        before = GC.GetAllocatedBytesForCurrentThread();
        saver.Restore(session, file);
        long restoring = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"checkpoint {total:N0} bytes: saving allocated {saving:N0}, restoring {restoring:N0}");
        for (int i = 0; i < Count; i++) Assert.That(NpzTests.Bytes(session.GetValue(variables[i])), Is.EqualTo(expected[i]), $"block{i}");
        Assert.That(saving, Is.LessThan(total / 16), "saving copies no variable");
        Assert.That(restoring, Is.LessThan(total / 16), "restoring reads over the old values");
    }
}
