using NUnit.Framework;

namespace GraphDL.Tests.Guarantees;

/// <summary>
/// Thousands of random builder calls with random operands, axes, names and attributes, about half of them invalid: each
/// either adds its nodes or throws an <see cref="ArgumentException"/> (a <see cref="ShapeException"/> among them) or an
/// <see cref="InvalidOperationException"/> whose message names the node, and a failed call leaves the graph, its name
/// counters and a live session exactly as they were. "Exactly" is checked by a twin graph that replays only the calls
/// that succeeded: every node the fuzzed graph gains must come out of the twin with the same name, shapes and dtypes,
/// which a node or a name left behind by a failed call would shift.
/// </summary>
public class GraphBuilderFuzzTests
{
    private const int CallsPerSeed = 2000;

    [TestCase(1), TestCase(2), TestCase(3), TestCase(4), TestCase(5), TestCase(6), TestCase(7), TestCase(8)]
    public void RandomBuilderCallsSucceedOrFailCleanly(int seed) => new BuilderFuzzer(seed).Run(CallsPerSeed);

    [Test, Explicit("200 seeds of 8,000 calls, about a minute and a half"), Category("Long")]
    public void ManySeedsOfRandomBuilderCallsSucceedOrFailCleanly([Range(100, 299)] int seed) =>
        new BuilderFuzzer(seed).Run(4 * CallsPerSeed);

    /// <summary>One builder call, its random choices made up front so that the twin graph can replay it.</summary>
    /// <param name="Label">The op or method, which an error message may name instead of the node.</param>
    /// <param name="Name">The node name asked for, or null.</param>
    /// <param name="Operands">Indices into the pool of the outputs it reads.</param>
    /// <param name="Build">The call itself, on a graph and that graph's pool.</param>
    /// <param name="Around">A scope the call is made in (a name scope, control dependencies), opened as a call of its own.</param>
    private sealed record Call(string Label, string? Name, int[] Operands, Func<Graph, IReadOnlyList<Output>, object> Build,
                               Call? Around = null);

    /// <summary>What a failed call must leave as it was.</summary>
    private sealed record Fingerprint(int Nodes, string LastNode, int Variables, int Trainable, string Scope, GraphMark Mark)
    {
        public static Fingerprint Of(Graph g) => new(g.Nodes.Count, g.Nodes.Count == 0 ? "" : g.Nodes[^1].Name,
            g.GlobalVariables.Count, g.TrainableVariables.Count, g.ScopePrefix, g.Mark());
    }

    private sealed class BuilderFuzzer
    {
        private static readonly int[] Ints = [0, 1, 2, 3, -1, -2, -3, 4, 5, 7, int.MaxValue, int.MinValue, 1 << 20, -1000];
        private static readonly int[] Dims = [-1, 0, 1, 2, 3, 4, 5];
        private static readonly double[] Doubles =
            [0, 1, -1, 0.5, 2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, 1e-300, -7];
        private static readonly string?[] Names =
            [null, null, null, null, null, "n", "n", "dup", "a/b", "/", "", ":", "x", "W", "층/레이어", "名前", " ", "tab\t", "n_1", "a//b", new string('z', 300)];
        private static readonly string[] Equations = ["ij,jk->ik", "ij->ji", "ii->i", "ij", "i,i->", "->", "ab,bc", "a...->a", "ij,jk->iq", "iij->j"];

        private readonly Random _random;
        private readonly Graph _graph = new() { Seed = 7 }, _twin = new() { Seed = 7 };
        private readonly List<Output> _pool = [], _twinPool = [];
        private readonly List<(string Label, Func<Call> Make)> _table;

        // The fixed, valid subgraph that a session runs throughout, with a reference result to compare with.
        private Output _x, _w, _prediction;
        private Node _initializer = null!;
        private Session _session = null!;
        private FeedDict _feed = null!;
        private float[] _expected = [], _weights = [];

        public BuilderFuzzer(int seed)
        {
            _random = new Random(seed);
            _table = BuildTable();
        }

        public void Run(int calls)
        {
            Seed();
            using (_session = new Session(_graph))
            {
                _session.Log = _ => { };
                _session.Run(_initializer);
                _feed = new FeedDict { [_x] = Tensor.FromFlat(new[] { 1f, 2f, 3f, -1f, 0.5f, 4f }, new Shape(2, 3)) };
                _expected = (float[])_session.Run(_prediction, _feed).Data;
                _weights = (float[])_session.GetValue(_w).Data.Clone();
                int failures = 0;
                for (int i = 0; i < calls; i++)
                {
                    if (!Step(i)) failures++;
                    if (i % 50 == 0) CheckSession(i);
                }
                TestContext.Out.WriteLine($"{calls} calls, {failures} refused, {_graph.Nodes.Count} nodes");
                Assert.That(failures, Is.GreaterThan(calls / 10), "the fuzzer should make many invalid calls");
                Assert.That(failures, Is.LessThan(calls * 9 / 10), "the fuzzer should make many valid calls");
            }
        }

        /// <summary>The starting pool: placeholders of every dtype with known and unknown dims, variables, constants.</summary>
        private void Seed()
        {
            foreach (var (g, pool) in new[] { (_graph, _pool), (_twin, _twinPool) })
            {
                pool.Add(g.Placeholder(DType.Float32, new Shape(-1, 3), "x"));
                pool.Add(g.Variable(Init.Ones(3, 2), "W"));
                pool.Add(g.Variable(Init.Zeros(2), "b"));
                pool.Add(g.Add(g.MatMul(pool[0], pool[1]), pool[2], "prediction"));
                pool.Add(g.Placeholder(DType.Float32, new Shape(2, 3), "p23"));
                pool.Add(g.Placeholder(DType.Float32, new Shape(3), "p3"));
                pool.Add(g.Placeholder(DType.Float32, Shape.Scalar, "scalar"));
                pool.Add(g.Placeholder(DType.Float32, new Shape(-1, -1), "unknown2"));
                pool.Add(g.Placeholder(DType.Float32, new Shape(2, 5, 5, 3), "image"));
                pool.Add(g.Placeholder(DType.Float32, new Shape(3, 3, 3, 4), "filter"));
                pool.Add(g.Placeholder(DType.Float64, new Shape(2, 3), "d23"));
                pool.Add(g.Placeholder(DType.Int32, new Shape(-1), "labels"));
                pool.Add(g.Placeholder(DType.Int32, new Shape(2, 3), "i23"));
                pool.Add(g.Placeholder(DType.Bool, new Shape(2, 3), "mask"));
                pool.Add(g.Variable(Init.Zeros(3, 3), "V33", trainable: false));
                pool.Add(g.Constant(Tensor.FromFlat(new[] { 0, 2, 1 }, new Shape(3)), "indices"));
                pool.Add(g.Constant(2.5, new Shape(2, 3), DType.Float32, "c23"));
                pool.Add(g.Constant(0, new Shape(0, 3), DType.Float32, "empty"));
            }
            (_x, _w, _prediction) = (_pool[0], _pool[1], _pool[3]);
            _initializer = _graph.GlobalVariablesInitializer();
            _twin.GlobalVariablesInitializer();
        }

        /// <summary>One random call on the graph, then the same call on the twin when it succeeded; false when refused.</summary>
        private bool Step(int index)
        {
            var call = _table[_random.Next(_table.Count)].Make();
            if (call.Around is null) return Attempt(index, call, out _, out _);
            // Opening the scope is a call of its own, which the twin repeats when it succeeds: the call inside may
            // fail while the scope's name stays taken, as it would in TF1.
            if (!Attempt(index, call.Around, out var scope, out var twinScope)) return false;
            try
            {
                return Attempt(index, call with { Around = null }, out _, out _);
            }
            finally
            {
                ((IDisposable)scope!).Dispose();
                ((IDisposable)twinScope!).Dispose();
            }
        }

        /// <summary>The call on the graph and, when it succeeds, on the twin; their results go into the pools.</summary>
        private bool Attempt(int index, Call call, out object? result, out object? twinResult)
        {
            var before = Fingerprint.Of(_graph);
            (result, twinResult) = (null, null);
            try
            {
                result = call.Build(_graph, _pool);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                CheckRefusal(index, call, e, before);
                return false;
            }
            catch (Exception e)
            {
                Assert.Fail($"call {index}: {Describe(call)} threw {e.GetType().Name}, which the builder does not document:\n{e}");
                throw;
            }

            int twinBefore = _twin.Nodes.Count;
            try
            {
                twinResult = call.Build(_twin, _twinPool);
            }
            catch (Exception e)
            {
                Assert.Fail($"call {index}: {Describe(call)} succeeded on the graph but failed on its twin, which a refused call left changed:\n{e}");
                throw;
            }
            for (int id = before.Nodes; id < _graph.Nodes.Count; id++)
            {
                var node = _graph.Nodes[id];
                var twin = id < _twin.Nodes.Count ? _twin.Nodes[id] : null;
                Assert.That(twin?.Name, Is.EqualTo(node.Name),
                    $"call {index}: {Describe(call)} named node {id} differently after the earlier refused calls, which left a trace");
                Assert.That(twin!.OutputShapes, Is.EqualTo(node.OutputShapes), $"call {index}: node '{node.Name}'");
                Assert.That(twin.OutputDTypes, Is.EqualTo(node.OutputDTypes), $"call {index}: node '{node.Name}'");
            }
            Assert.That(_twin.Nodes.Count - twinBefore, Is.EqualTo(_graph.Nodes.Count - before.Nodes), $"call {index}: {Describe(call)}");
            _pool.AddRange(OutputsOf(result));
            _twinPool.AddRange(OutputsOf(twinResult));
            Assert.That(_twinPool.Count, Is.EqualTo(_pool.Count));
            return true;
        }

        private void CheckRefusal(int index, Call call, Exception e, Fingerprint before)
        {
            var after = Fingerprint.Of(_graph);
            Assert.That(after, Is.EqualTo(before), $"call {index}: {Describe(call)} failed with \"{e.Message}\" but changed the graph");
            // The node may not exist, so its op, the name asked for or one of its operands will do.
            var named = new List<string> { call.Label };
            if (!string.IsNullOrEmpty(call.Name)) named.Add(call.Name);
            named.AddRange(call.Operands.Select(i => $"'{_pool[i].Name}'"));
            // Or the inner node that refused: "No gradient defined for op 'gradients/ArgMax' (ArgMax)".
            bool namesANode = System.Text.RegularExpressions.Regex.Matches(e.Message, "'([^']+)'")
                .Any(m => _graph.FindNode(m.Groups[1].Value.Split(':')[0]) is not null);
            Assert.That(namesANode || named.Any(e.Message.Contains), Is.True,
                $"call {index}: {Describe(call)} failed with a message that names neither the op, the node nor an operand: {e.GetType().Name}: {e.Message}");
        }

        /// <summary>The fixed subgraph still gives its reference result, and bad feeds fail naming the placeholder, changing nothing.</summary>
        private void CheckSession(int index)
        {
            Assert.That((float[])_session.Run(_prediction, _feed).Data, Is.EqualTo(_expected), $"after call {index}");

            var wrongDType = new FeedDict { [_x] = Tensor.FromFlat(new[] { 1, 2, 3 }, new Shape(1, 3)) };
            var wrongShape = new FeedDict { [_x] = new Tensor(new Shape(2, 4)) };
            var notFed = new FeedDict();
            foreach (var (what, feed) in new[] { ("a wrong dtype", wrongDType), ("a wrong shape", wrongShape), ("no feed", notFed) })
            {
                var e = Assert.Catch(() => _session.Run(_prediction, feed), $"after call {index}, {what}")!;
                Assert.That(e, Is.InstanceOf<ArgumentException>().Or.InstanceOf<InvalidOperationException>(), $"after call {index}, {what}: {e}");
                Assert.That(e.Message, Does.Contain("'x'"), $"after call {index}, {what}");
            }
            var nan = new FeedDict { [_x] = Tensor.Filled(new Shape(1, 3), DType.Float32, double.NaN) };
            Assert.That(((float[])_session.Run(_prediction, nan).Data).All(float.IsNaN), Is.True, "NaN in a feed is a value like any other");
            Assert.That((float[])_session.GetValue(_w).Data, Is.EqualTo(_weights), $"after call {index}, the failed runs left W as it was");

            RunRandomFetch(index);
        }

        /// <summary>
        /// Some output of the fuzzed graph with every placeholder fed a small random value: it runs, or fails with a
        /// documented exception that names a node, and the session stays usable either way.
        /// </summary>
        private void RunRandomFetch(int index)
        {
            var fetch = _pool[_random.Next(_pool.Count)];
            var feed = new FeedDict();
            foreach (var node in _graph.Nodes.Where(n => n.Op is Placeholder))
            {
                var dims = node.OutputShapes[0].Dims.ToArray().Select(d => d < 0 ? 2 : d).ToArray();
                // A placeholder too large to feed cheaply stays unfed: a fetch that needs it fails naming it.
                if (dims.Aggregate(1L, (n, d) => n * d) > 4096) continue;
                var shape = new Shape(dims);
                feed[node.Output] = Tensor.Filled(shape, node.OutputDTypes[0], _random.Next(0, 3));
            }
            try
            {
                _session.Run(fetch, feed);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or InsufficientMemoryException)
            {
                Assert.That(e.Message, Does.Contain("'"), $"after call {index}, running {fetch}: {e.Message}");
            }
            catch (Exception e)
            {
                Assert.Fail($"after call {index}, running {fetch} threw {e.GetType().Name}, which the session does not document:\n{e}");
            }
            Assert.That((float[])_session.Run(_prediction, _feed).Data, Is.EqualTo(_expected), $"after call {index}, running {fetch}");
        }

        private static IEnumerable<Output> OutputsOf(object result) => result switch
        {
            Output o => [o],
            Output[] many => many,
            Output?[] some => some.Where(o => o is not null).Select(o => o!.Value),
            Node node => Enumerable.Range(0, node.OutputCount).Select(i => node[i]),
            _ => [],
        };

        private string Describe(Call call) =>
            $"{call.Label}(name: {(call.Name is null ? "null" : $"\"{call.Name}\"")}, operands: [{string.Join(", ", call.Operands.Select(i => _pool[i].ToString()))}])";

        // Random choices.
        private int P() => _random.Next(_pool.Count);
        private int I() => Ints[_random.Next(Ints.Length)];
        private double D() => Doubles[_random.Next(Doubles.Length)];
        private bool B() => _random.Next(2) == 0;
        private string? N() => Names[_random.Next(Names.Length)];
        private DType T() => (DType)_random.Next(4);
        private int[] RandomInts(int max = 4) => Enumerable.Range(0, _random.Next(max + 1)).Select(_ => _random.Next(3) == 0 ? I() : _random.Next(-3, 6)).ToArray();
        private int[]? Axes() => _random.Next(4) == 0 ? null : RandomInts(3);
        private int[] RandomDims() => Enumerable.Range(0, _random.Next(4)).Select(_ => _random.Next(8) == 0 ? I() is var i && i >= -1 ? i : 2 : Dims[_random.Next(Dims.Length)]).ToArray();
        private int[] Operands(int count) => Enumerable.Range(0, count).Select(_ => P()).ToArray();
        private Padding RandomPadding() => _random.Next(4) switch
        {
            0 => Padding.Valid,
            1 => Padding.Same,
            2 => Padding.Explicit(_random.Next(0, 3)),
            _ => Padding.Explicit(Math.Max(I(), 0), 0, 1, Math.Max(I(), 0)),
        };

        private Call Unary(string label, Func<Graph, Output, string?, Output> f)
        {
            int a = P();
            string? name = N();
            return new(label, name, [a], (g, p) => f(g, p[a], name));
        }

        private Call Binary(string label, Func<Graph, Output, Output, string?, Output> f)
        {
            int a = P(), b = P();
            string? name = N();
            return new(label, name, [a, b], (g, p) => f(g, p[a], p[b], name));
        }

        private Call List(string label, Func<Graph, Output[], string?, object> f)
        {
            var operands = Operands(_random.Next(0, 4));
            // Lists of one operand repeated are the interesting valid case for Concat, Stack and AddN.
            if (operands.Length > 1 && B()) operands = Enumerable.Repeat(operands[0], operands.Length).ToArray();
            string? name = N();
            return new(label, name, operands, (g, p) => f(g, operands.Select(i => p[i]).ToArray(), name));
        }

        private List<(string, Func<Call>)> BuildTable()
        {
            var table = new List<(string, Func<Call>)>();
            void Add(string label, Func<Call> make) => table.Add((label, make));
            void AddUnary(string label, Func<Graph, Output, string?, Output> f) => Add(label, () => Unary(label, f));
            void AddBinary(string label, Func<Graph, Output, Output, string?, Output> f) => Add(label, () => Binary(label, f));

            AddBinary("Add", (g, a, b, n) => g.Add(a, b, n));
            AddBinary("Sub", (g, a, b, n) => g.Sub(a, b, n));
            AddBinary("Mul", (g, a, b, n) => g.Mul(a, b, n));
            AddBinary("Div", (g, a, b, n) => g.Div(a, b, n));
            AddBinary("Maximum", (g, a, b, n) => g.Maximum(a, b, n));
            AddBinary("Minimum", (g, a, b, n) => g.Minimum(a, b, n));
            AddBinary("Pow", (g, a, b, n) => g.Pow(a, b, n));
            AddBinary("SquaredDifference", (g, a, b, n) => g.SquaredDifference(a, b, n));
            AddBinary("Equal", (g, a, b, n) => g.Equal(a, b, n));
            AddBinary("Less", (g, a, b, n) => g.Less(a, b, n));
            AddBinary("GreaterEqual", (g, a, b, n) => g.GreaterEqual(a, b, n));
            AddBinary("Add", (g, a, b, _) => a + b);
            AddBinary("Mul", (g, a, b, _) => a * b);
            AddBinary("ReshapeLike", (g, a, b, n) => g.ReshapeLike(a, b, n));
            AddBinary("BroadcastTo", (g, a, b, n) => g.BroadcastTo(a, b, n));
            AddBinary("SoftmaxCrossEntropyWithLogits", (g, a, b, n) => g.SoftmaxCrossEntropyWithLogits(a, b, n));
            AddBinary("SparseSoftmaxCrossEntropyWithLogits", (g, a, b, n) => g.SparseSoftmaxCrossEntropyWithLogits(a, b, n));
            AddBinary("SigmoidCrossEntropyWithLogits", (g, a, b, n) => g.SigmoidCrossEntropyWithLogits(a, b, n));
            AddBinary("MeanSquaredError", (g, a, b, n) => g.MeanSquaredError(a, b, n));
            Add("HuberLoss", () => { double d = D(); return Binary("HuberLoss", (g, a, b, n) => g.HuberLoss(a, b, d, n)); });
            Add("Sub", () => { double d = D(); return Unary("Sub", (g, a, _) => a - d); });
            Add("Div", () => { double d = D(); return Unary("Div", (g, a, _) => d / a); });
            Add("MatMul", () => { bool ta = B(), tb = B(); return Binary("MatMul", (g, a, b, n) => g.MatMul(a, b, ta, tb, n)); });
            Add("Dropout", () => { int? s = B() ? I() : null; return Binary("Dropout", (g, a, b, n) => g.Dropout(a, b, s, n)); });
            Add("Where", () =>
            {
                var ops = Operands(3);
                string? name = N();
                return new("Where", name, ops, (g, p) => g.Where(p[ops[0]], p[ops[1]], p[ops[2]], name));
            });

            AddUnary("Relu", (g, a, n) => g.Relu(a, n));
            AddUnary("Sigmoid", (g, a, n) => g.Sigmoid(a, n));
            AddUnary("Tanh", (g, a, n) => g.Tanh(a, n));
            AddUnary("Exp", (g, a, n) => g.Exp(a, n));
            AddUnary("Log", (g, a, n) => g.Log(a, n));
            AddUnary("Sqrt", (g, a, n) => g.Sqrt(a, n));
            AddUnary("Neg", (g, a, n) => g.Neg(a, n));
            AddUnary("Abs", (g, a, n) => g.Abs(a, n));
            AddUnary("Square", (g, a, n) => g.Square(a, n));
            AddUnary("Softplus", (g, a, n) => g.Softplus(a, n));
            AddUnary("Softmax", (g, a, n) => g.Softmax(a, n));
            AddUnary("LogSoftmax", (g, a, n) => g.LogSoftmax(a, n));
            AddUnary("Floor", (g, a, n) => g.Floor(a, n));
            AddUnary("Sign", (g, a, n) => g.Sign(a, n));
            AddUnary("Step", (g, a, n) => g.Step(a, n));
            AddUnary("Identity", (g, a, n) => g.Identity(a, n));
            AddUnary("StopGradient", (g, a, n) => g.StopGradient(a, n));
            AddUnary("ZerosLike", (g, a, n) => g.ZerosLike(a, n));
            AddUnary("OnesLike", (g, a, n) => g.OnesLike(a, n));
            AddUnary("L2Loss", (g, a, n) => g.L2Loss(a, n));
            AddUnary("Flatten", (g, a, n) => g.Flatten(a, n));
            AddUnary("Neg", (g, a, _) => -a);
            AddUnary("CheckNumerics", (g, a, n) => g.CheckNumerics(a, "fuzz", n));
            AddUnary("RandomUniformLike", (g, a, n) => g.RandomUniformLike(a, null, n));
            Add("LeakyRelu", () => { double d = D(); return Unary("LeakyRelu", (g, a, n) => g.LeakyRelu(a, d, n)); });
            Add("Elu", () => { double d = D(); return Unary("Elu", (g, a, n) => g.Elu(a, d, n)); });
            Add("Lrn", () => { int r = I(); double b = D(), al = D(), be = D(); return Unary("LocalResponseNormalization", (g, a, n) => g.Lrn(a, r, b, al, be, n)); });
            Add("L2Normalize", () => { var axes = Axes(); double e = D(); return Unary("L2Normalize", (g, a, n) => g.L2Normalize(a, axes, e, n)); });
            Add("Size", () => { var t = T(); return Unary("Size", (g, a, n) => g.Size(a, t, n)); });
            Add("Cast", () => { var t = T(); return Unary("Cast", (g, a, n) => g.Cast(a, t, n)); });

            Add("Reshape", () => { var s = RandomInts(); return Unary("Reshape", (g, a, n) => g.Reshape(a, s, n)); });
            Add("Transpose", () => { var perm = B() ? null : RandomInts(); return Unary("Transpose", (g, a, n) => g.Transpose(a, perm, n)); });
            Add("ExpandDims", () => { int axis = I(); return Unary("ExpandDims", (g, a, n) => g.ExpandDims(a, axis, n)); });
            Add("Squeeze", () => { var axes = Axes(); return Unary("Squeeze", (g, a, n) => g.Squeeze(a, axes, n)); });
            Add("Tile", () => { var m = RandomInts(); return Unary("Tile", (g, a, n) => g.Tile(a, m, n)); });
            Add("Slice", () => { int[] begin = RandomInts(), size = RandomInts(); return Unary("Slice", (g, a, n) => g.Slice(a, begin, size, n)); });
            Add("Pad", () =>
            {
                int rank = _random.Next(4);
                var paddings = new int[rank, 2];
                for (int r = 0; r < rank; r++) (paddings[r, 0], paddings[r, 1]) = (_random.Next(-1, 3), _random.Next(8) == 0 ? I() : 1);
                var mode = (PadMode)_random.Next(3);
                double value = D();
                return Unary("Pad", (g, a, n) => g.Pad(a, paddings, mode, value, n));
            });
            Add("Gather", () => { int axis = _random.Next(-3, 3); return Binary("Gather", (g, a, b, n) => g.Gather(a, b, axis, n)); });
            Add("OneHot", () =>
            {
                int depth = I();
                double on = D(), off = D();
                var t = T();
                return Unary("OneHot", (g, a, n) => g.OneHot(a, depth, on, off, t, n));
            });
            Add("Unstack", () =>
            {
                int axis = _random.Next(-3, 3);
                var a = P();
                string? name = N();
                return new("Unstack", name, [a], (g, p) => g.Unstack(p[a], axis, name));
            });
            Add("Split", () =>
            {
                int count = I(), axis = _random.Next(-3, 3);
                var a = P();
                string? name = N();
                return new("Split", name, [a], (g, p) => g.Split(p[a], count, axis, name));
            });
            Add("Split", () =>
            {
                var sizes = RandomInts();
                int axis = _random.Next(-3, 3);
                var a = P();
                string? name = N();
                return new("Split", name, [a], (g, p) => g.Split(p[a], sizes, axis, name));
            });
            Add("Concat", () => { int axis = _random.Next(-3, 3); return List("Concat", (g, xs, n) => g.Concat(xs, axis, n)); });
            Add("Stack", () => { int axis = _random.Next(-3, 4); return List("Stack", (g, xs, n) => g.Stack(xs, axis, n)); });
            Add("AddN", () => List("AddN", (g, xs, n) => g.AddN(xs, n)));
            Add("Group", () => List("NoOp", (g, xs, n) => g.Group(xs.Select(x => x.Node), n)));
            Add("NoOp", () => { string? name = N(); return new("NoOp", name, [], (g, _) => g.NoOp(name)); });

            foreach (var reduce in new (string Label, Func<Graph, Output, int[]?, bool, string?, Output> F)[]
                     {
                         ("ReduceSum", (g, a, axes, k, n) => g.ReduceSum(a, axes, k, n)),
                         ("ReduceMean", (g, a, axes, k, n) => g.ReduceMean(a, axes, k, n)),
                         ("ReduceMax", (g, a, axes, k, n) => g.ReduceMax(a, axes, k, n)),
                         ("ReduceMin", (g, a, axes, k, n) => g.ReduceMin(a, axes, k, n)),
                         ("ReduceProd", (g, a, axes, k, n) => g.ReduceProd(a, axes, k, n)),
                         ("ReduceAll", (g, a, axes, k, n) => g.ReduceAll(a, axes, k, n)),
                         ("ReduceAny", (g, a, axes, k, n) => g.ReduceAny(a, axes, k, n)),
                     })
                Add(reduce.Label, () => { var axes = Axes(); bool keep = B(); return Unary(reduce.Label, (g, a, n) => reduce.F(g, a, axes, keep, n)); });
            Add("ReduceSum", () => { int axis = I(); bool keep = B(); return Unary("ReduceSum", (g, a, n) => g.ReduceSum(a, axis, keep, n)); });
            Add("ArgMax", () => { int axis = _random.Next(-4, 4); return Unary("ArgMax", (g, a, n) => g.ArgMax(a, axis, n)); });
            Add("ArgMin", () => { int axis = I(); return Unary("ArgMin", (g, a, n) => g.ArgMin(a, axis, n)); });

            Add("Conv2D", () =>
            {
                (int, int) strides = (B() ? _random.Next(-1, 4) : I(), _random.Next(0, 4));
                var padding = RandomPadding();
                return Binary("Conv2D", (g, a, b, n) => g.Conv2D(a, b, strides, padding, n));
            });
            Add("Conv1D", () => { int stride = _random.Next(-1, 4); var padding = RandomPadding(); return Binary("Conv1D", (g, a, b, n) => g.Conv1D(a, b, stride, padding, n)); });
            Add("MaxPool", () =>
            {
                int size = B() ? _random.Next(-1, 4) : I();
                int? stride = B() ? null : _random.Next(-1, 4);
                var padding = RandomPadding();
                return Unary("MaxPool", (g, a, n) => g.MaxPool(a, size, stride, padding, n));
            });
            Add("AvgPool", () =>
            {
                (int, int) size = (_random.Next(-1, 4), _random.Next(0, 7));
                (int, int) strides = (_random.Next(1, 3), B() ? 1 : I());
                var padding = RandomPadding();
                return Unary("AvgPool", (g, a, n) => g.AvgPool(a, size, strides, padding, n));
            });
            Add("Einsum", () =>
            {
                string equation = Equations[_random.Next(Equations.Length)];
                return B()
                    ? Unary("Einsum", (g, a, n) => g.Einsum(equation, a, n))
                    : Binary("Einsum", (g, a, b, n) => g.Einsum(equation, a, b, n));
            });

            Add("Fill", () =>
            {
                var dims = RandomDims();
                double value = D();
                var t = T();
                string? name = N();
                return new("Fill", name, [], (g, _) => g.Fill(new Shape(dims), value, t, name));
            });
            Add("Const", () =>
            {
                var dims = RandomDims();
                double value = D();
                var t = T();
                string? name = N();
                return new("Const", name, [], (g, _) => g.Constant(value, new Shape(dims), t, name));
            });
            Add("Range", () =>
            {
                int start = I(), limit = I(), delta = I();
                // A range of hundreds of millions of values is built, correctly and slowly: keep to the quick ends.
                while (delta != 0 && Math.Abs(((long)limit - start) / delta) is > 1 << 20 and <= 1L << 31) delta = I();
                string? name = N();
                return new("Range", name, [], (g, _) => g.Range(start, limit, delta, DType.Int32, name));
            });
            Add("Range", () =>
            {
                double start = D(), limit = D(), delta = D();
                while (Math.Abs((limit - start) / delta) is > 1 << 20 and <= 1L << 31) delta = D();
                var t = T();
                string? name = N();
                return new("Range", name, [], (g, _) => g.Range(start, limit, delta, t, name));
            });
            Add("RandomNormal", () =>
            {
                var dims = RandomDims();
                double mean = D(), stddev = D();
                string? name = N();
                return new("RandomNormal", name, [], (g, _) => g.RandomNormal(new Shape(dims), mean, stddev, DType.Float32, 5, name));
            });
            Add("Placeholder", () =>
            {
                var dims = RandomDims();
                var t = T();
                string? name = N();
                return new("Placeholder", name, [], (g, _) => g.Placeholder(t, new Shape(dims), name));
            });
            Add("Variable", () =>
            {
                var dims = RandomDims().Select(d => Math.Min(d, 4)).ToArray();
                double value = D();
                bool trainable = B();
                string? name = N();
                return new("Variable", name, [], (g, _) => g.Variable(Init.Constant(value, dims), name, trainable));
            });
            Add("Variable", () => { bool trainable = B(); return Unary("Variable", (g, a, n) => g.Variable(a, n, trainable)); });
            Add("Assign", () => Binary("Assign", (g, a, b, n) => g.Assign(a, b, n)));
            Add("AssignAdd", () => Binary("AssignAdd", (g, a, b, n) => g.AssignAdd(a, b, n)));
            Add("Gradients", () =>
            {
                var ops = Operands(B() ? 2 : 3);
                bool zeros = B();
                return new("Gradients", null, ops, (g, p) => ops.Length == 2
                    ? g.Gradients([p[ops[0]]], [p[ops[1]]], unconnectedZeros: zeros)
                    : g.Gradients([p[ops[0]]], [p[ops[1]]], [p[ops[2]]], unconnectedZeros: zeros));
            });
            Add("Minimize", () =>
            {
                double rate = D();
                int loss = P();
                return new("Minimize", null, [loss], (g, p) => new GradientDescentOptimizer(rate).Minimize(p[loss]));
            });
            Add("NameScope", () =>
            {
                string? scope = N();
                return Unary("Relu", (g, a, n) => g.Relu(a, n)) with { Around = new("name scope", scope, [], (g, _) => g.NameScope(scope!)) };
            });
            Add("ControlDependencies", () =>
            {
                int dep = P();
                return Unary("Identity", (g, a, n) => g.Identity(a, n)) with
                {
                    Around = new("ControlDependencies", null, [dep], (g, p) => g.ControlDependencies(p[dep].Node)),
                };
            });
            return table;
        }
    }
}
