using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using GraphDL.Data;
using GraphDL.Keras;
using NUnit.Framework;
using static GraphDL.Keras.Merge;

namespace GraphDL.Tests.Keras;

/// <summary>
/// model.Save and Models.LoadModel: every layer type makes the same model again (predictions to the bit, the same
/// summary and config), training resumes with the uninterrupted run's losses, the entries are .npy arrays, and a
/// damaged or foreign file is an InvalidDataException naming the file and the fault.
/// </summary>
public class ModelFileTests
{
    private string _folder = "";

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("graphdl-modelfile-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    internal static Tensor Random(Shape shape, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Tensor.FromFlat(Enumerable.Range(0, shape.Size).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray(), shape);
    }

    private static Tensor Ids(Shape shape, int vocabulary, int seed)
    {
        var random = new Random(seed);
        return Tensor.FromFlat(Enumerable.Range(0, shape.Size).Select(_ => random.Next(vocabulary)).ToArray(), shape);
    }

    /// <summary>Each element's bits: equal arrays mean equal to the bit, -0 and +0 apart.</summary>
    internal static long[] Bits(Tensor t) => [.. t.ToDoubles().Select(BitConverter.DoubleToInt64Bits)];

    public sealed record Case(string Name, Func<Model> Make, Func<Tensor[]> Inputs)
    {
        public override string ToString() => Name;
    }

    /// <summary>Models that, together, hold every layer type of Engine/Keras, with configs away from the defaults.</summary>
    public static IEnumerable<Case> Cases()
    {
        yield return new("dense_dropout_activation", () => new Sequential([
            new Layers.Dense(7, activation: "relu", inputShape: [6], kernelRegularizer: Regularizers.L1L2(0.01, 0.02), biasRegularizer: "l2"),
            new Layers.Dropout(0.3, seed: 11),
            new Layers.Dense(5, useBias: false) { Trainable = false },
            new Layers.Activation("softmax"),
        ], name: "dense_stack"), () => [Random(new Shape(9, 6), 1)]);

        yield return new("flatten_reshape_repeat_time_distributed", () => new Sequential([
            new Layers.Flatten(inputShape: [4, 3]),
            new Layers.Reshape([3, -1]),
            new Layers.Flatten(),
            new Layers.Dense(5, activation: "tanh"),
            new Layers.RepeatVector(3),
            new Layers.SimpleRNN(4, activation: "relu", returnSequences: true) { KernelRegularizer = "l1" },
            new Layers.TimeDistributed(new Layers.Dense(2, activation: "sigmoid")),
        ]), () => [Random(new Shape(5, 4, 3), 2)]);

        yield return new("embedding_conv1d_gru", () => new Sequential([
            new Layers.Embedding(10, 4, inputLength: 6),
            new Layers.Conv1D(3, 2, padding: "same", activation: "relu", biasRegularizer: "l1"),
            new Layers.Conv1D(2, 3, strides: 2),
            new Layers.GRU(3, resetAfter: true, returnSequences: true),
            new Layers.GRU(2) { RecurrentRegularizer = Regularizers.L2(0.1) },
            new Layers.Dense(1),
        ]), () => [Ids(new Shape(4, 6), 10, 3)]);

        yield return new("conv2d_pooling", () => new Sequential([
            new Layers.Conv2D(4, 3, padding: "same", activation: "relu", inputShape: [8, 8, 2], kernelRegularizer: Regularizers.L1L2(0.001, 0.002)),
            new Layers.MaxPooling2D(2),
            new Layers.Conv2D(3, (2, 3), strides: (1, 2)),
            new Layers.AveragePooling2D((2, 1), strides: (1, 1), padding: "same"),
            new Layers.Flatten(),
            new Layers.Dense(3, activation: "softmax"),
        ]), () => [Random(new Shape(3, 8, 8, 2), 4)]);

        yield return new("lstm", () => new Sequential([
            new Layers.LSTM(5, returnSequences: true, unitForgetBias: false, inputShape: [6, 3]),
            new Layers.LSTM(4, name: "second_lstm") { BiasRegularizer = "l2" },
            new Layers.Dense(2),
        ]), () => [Random(new Shape(4, 6, 3), 5)]);

        yield return new("built_from_data", () =>
        {
            // No layer gives an input shape; Build tells the model, and the file keeps what it was built for.
            var model = new Sequential([new Layers.Dense(3, activation: "elu"), new Layers.Dense(2)]);
            model.Build(4);
            return model;
        }, () => [Random(new Shape(5, 4), 6)]);

        yield return new("merges", () =>
        {
            var a = Layers.Input([4], name: "left");
            var b = Layers.Input([4], name: "right");
            var shared = new Layers.Dense(4, activation: "tanh", name: "shared");
            var sa = shared.Apply(a);
            var sb = shared.Apply(b);   // a second call of one layer: inbound node 1
            var merged = Concatenate([Add([sa, sb]), Subtract([sa, sb]), Multiply([sa, sb]), Average([sa, b]), Maximum([a, sb]), Minimum([sa, sb, b])], axis: 1);
            var output = new Layers.Dense(2).Apply(merged);
            return new Model([a, b], output, name: "merges") { Seed = 3 };
        }, () => [Random(new Shape(5, 4), 7), Random(new Shape(5, 4), 8)]);

        yield return new("nested_models", () =>
        {
            var innerInput = Layers.Input([5]);
            var inner = new Model(innerInput, new Layers.Dense(4, activation: "relu").Apply(innerInput), name: "inner");
            var tower = new Sequential([new Layers.Dense(3, inputShape: [4], activation: "sigmoid"), new Layers.Dense(3)], name: "tower");
            var x = Layers.Input([5]);
            var y = tower.Apply(inner.Apply(x));
            var z = new Layers.Concatenate().Apply([y, new Layers.Dense(2).Apply(x)]);
            return new Model(x, new Layers.Dense(1).Apply(z), name: "outer");
        }, () => [Random(new Shape(6, 5), 9)]);
    }

    /// <summary>Every weight of a built model set to random values, so a value that a load failed to restore shows; variances stay positive.</summary>
    private static Model WithRandomWeights(Model model, int seed)
    {
        var weights = model.GetWeights();
        model.SetWeights([.. weights.Select((w, i) =>
        {
            var r = Random(w.Shape, seed + i, 0.5);
            bool variance = VariableOp.NodeOf(model.Weights[i]).Name.EndsWith("moving_variance", StringComparison.Ordinal);
            return variance ? Tensor.FromFlat(r.ToArray<float>().Select(v => Math.Abs(v) + 0.5f).ToArray(), w.Shape) : r;
        })]);
        return model;
    }

    /// <summary>The layers that joined after model files: BatchNormalization, Bidirectional, goBackwards, and multi-output calls in functional models.</summary>
    public static IEnumerable<Case> LaterCases()
    {
        yield return new("batch_normalization", () => WithRandomWeights(new Sequential([
            new Layers.BatchNormalization(axis: 1, momentum: 0.9, epsilon: 0.01, center: false, inputShape: [4, 3]),
            new Layers.Flatten(),
            new Layers.Dense(5, activation: "relu"),
            new Layers.BatchNormalization(scale: false),
            new Layers.Dense(2),
        ]) { Seed = 42 }, 100), () => [Random(new Shape(6, 4, 3), 10)]);

        yield return new("go_backwards", () => new Sequential([
            new Layers.SimpleRNN(3, returnSequences: true, inputShape: [5, 2]) { GoBackwards = true },
            new Layers.LSTM(3, returnSequences: true) { GoBackwards = true },
            new Layers.GRU(2, resetAfter: true) { GoBackwards = true },
            new Layers.Dense(1),
        ]), () => [Random(new Shape(4, 5, 2), 11)]);

        yield return new("bidirectional", () => new Sequential([
            new Layers.Bidirectional(new Layers.LSTM(3, returnSequences: true, name: "inner_lstm"), inputShape: [5, 2]),
            new Layers.Bidirectional(new Layers.SimpleRNN(2, returnSequences: true) { GoBackwards = true }, mergeMode: "sum") { Trainable = false },
            new Layers.Bidirectional(new Layers.GRU(2) { RecurrentRegularizer = "l2" }, mergeMode: "mul"),
            new Layers.Dense(1),
        ]), () => [Random(new Shape(4, 5, 2), 12)]);

        yield return new("encoder_decoder", () =>
        {
            // The decoder starts from the encoder's h and c: outputs 1 and 2 of the encoder's one call.
            var encoderInputs = Layers.Input([5, 3], name: "encoder_inputs");
            var encoded = new Layers.LSTM(4, returnState: true, name: "encoder").ApplyAll(encoderInputs);
            var decoderInputs = Layers.Input([4, 3], name: "decoder_inputs");
            var decoded = new Layers.LSTM(4, returnSequences: true, name: "decoder").Apply(decoderInputs, [encoded[1], encoded[2]]);
            return new Model([encoderInputs, decoderInputs], new Layers.Dense(1).Apply(decoded), name: "seq2seq");
        }, () => [Random(new Shape(3, 5, 3), 13), Random(new Shape(3, 4, 3), 14)]);

        yield return new("bidirectional_unmerged_with_states", () =>
        {
            // mergeMode null and returnState: [forward output, backward output, h_f, c_f, h_b, c_b], taken out of order.
            var x = Layers.Input([5, 2], name: "x");
            var both = new Layers.Bidirectional(new Layers.LSTM(3, returnState: true), mergeMode: null, name: "both_ways").ApplyAll([x]);
            var y = Layers.Input([3, 2], name: "y");
            var decoded = new Layers.LSTM(3, name: "decoder").Apply(y, [both[4], both[3]]);
            var joined = Concatenate([both[1], decoded, Subtract([both[0], both[5]])]);
            return new Model([x, y], new Layers.Dense(2).Apply(joined), name: "unmerged");
        }, () => [Random(new Shape(4, 5, 2), 15), Random(new Shape(4, 3, 2), 16)]);
    }

    /// <summary>Every case of both lists, for the round trips.</summary>
    public static IEnumerable<Case> AllCases() => Cases().Concat(LaterCases());

    [TestCaseSource(nameof(AllCases))]
    public void EveryLayerTypeComesBackWithTheSamePredictionsSummaryAndConfig(Case c)
    {
        var model = c.Make();
        model.Seed ??= 42;
        var inputs = c.Inputs();
        var expected = model.Predict(inputs);
        string file = PathOf(c.Name + ".keras");
        model.Save(file);

        var loaded = Models.LoadModel(file);
        Assert.That(loaded, Is.Not.SameAs(model));
        Assert.That(loaded.Graph, Is.Not.SameAs(model.Graph), "a fresh graph");
        Assert.That(loaded.GetType(), Is.EqualTo(model.GetType()));
        Assert.That(Bits(loaded.Predict(inputs)), Is.EqualTo(Bits(expected)), "predictions to the bit");
        Assert.That(loaded.Summary(TextWriter.Null), Is.EqualTo(model.Summary(TextWriter.Null)));
        Assert.That(loaded.GetConfig().ToJsonString(), Is.EqualTo(model.GetConfig().ToJsonString()));
        Assert.That(loaded.TrainableWeights, Has.Count.EqualTo(model.TrainableWeights.Count), "which weights train");
        Assert.That(loaded.RegularizationLosses, Has.Count.EqualTo(model.RegularizationLosses.Count), "the regularizers");
        Assert.That(loaded.CompiledWith, Is.Null, "an uncompiled model loads uncompiled");
    }

    [Test]
    public void AConfigRecordsTheArgumentsAndTheCallGraph()
    {
        var c = Cases().Single(c => c.Name == "merges");
        var config = c.Make().GetConfig();
        var shared = config["layers"]!.AsArray().Single(l => (string?)l!["name"] == "shared")!;
        Assert.That(shared["class_name"]!.GetValue<string>(), Is.EqualTo("Dense"));
        Assert.That(shared["config"]!["units"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(shared["config"]!["activation"]!.GetValue<string>(), Is.EqualTo("tanh"));
        Assert.That(shared["inbound_nodes"]!.ToJsonString(), Is.EqualTo("""[[["left",0,0]],[["right",0,0]]]"""), "two calls, one per input");
        var minimum = config["layers"]!.AsArray().Single(l => (string?)l!["class_name"] == "Minimum")!;
        Assert.That(minimum["inbound_nodes"]!.ToJsonString(), Is.EqualTo("""[[["shared",0,0],["shared",1,0],["right",0,0]]]"""));
        Assert.That(config["input_layers"]!.ToJsonString(), Is.EqualTo("""[["left",0,0],["right",0,0]]"""));
        Assert.That(config["seed"]!.GetValue<int>(), Is.EqualTo(3));

        var dense = Cases().First().Make().GetConfig()["layers"]![0]!["config"]!;
        Assert.That(dense["input_shape"]!.ToJsonString(), Is.EqualTo("[6]"));
        Assert.That(dense["kernel_regularizer"]!.ToJsonString(), Is.EqualTo("""{"class_name":"L1L2","config":{"l1":0.01,"l2":0.02}}"""));
    }

    [Test]
    public void AConfigRecordsWhichOutputOfAMultiOutputCallFeedsWhichInput()
    {
        static JsonNode LayerNamed(JsonObject config, string name) => config["layers"]!.AsArray().Single(l => (string?)l!["name"] == name)!;
        var seq2seq = LaterCases().Single(c => c.Name == "encoder_decoder").Make().GetConfig();
        Assert.That(LayerNamed(seq2seq, "decoder")["inbound_nodes"]!.ToJsonString(),
            Is.EqualTo("""[[["decoder_inputs",0,0],["encoder",0,1],["encoder",0,2]]]"""), "Keras's decoder_inputs[0][0], encoder[0][1], encoder[0][2]");
        Assert.That(LayerNamed(seq2seq, "encoder")["config"]!["return_state"]!.GetValue<bool>(), Is.True);

        var unmerged = LaterCases().Single(c => c.Name == "bidirectional_unmerged_with_states").Make().GetConfig();
        Assert.That(LayerNamed(unmerged, "decoder")["inbound_nodes"]!.ToJsonString(), Is.EqualTo("""[[["y",0,0],["both_ways",0,4],["both_ways",0,3]]]"""));
        var both = LayerNamed(unmerged, "both_ways")["config"]!;
        Assert.That(both["merge_mode"], Is.Null);
        Assert.That(both.AsObject().ContainsKey("merge_mode"), "null is written, not left out: it means two outputs");
        Assert.That(both["layer"]!["class_name"]!.GetValue<string>(), Is.EqualTo("LSTM"));
        Assert.That(both["layer"]!["config"]!["return_state"]!.GetValue<bool>(), Is.True);

        var stack = LaterCases().Single(c => c.Name == "bidirectional").Make().GetConfig()["layers"]!.AsArray();
        Assert.That(stack[0]!["config"]!["merge_mode"]!.GetValue<string>(), Is.EqualTo("concat"));
        Assert.That(stack[0]!["config"]!["layer"]!["config"]!["name"]!.GetValue<string>(), Is.EqualTo("inner_lstm"), "the wrapped layer, not its copies");
        Assert.That(stack[1]!["config"]!["layer"]!["config"]!["go_backwards"]!.GetValue<bool>(), Is.True);
        Assert.That(stack[1]!["config"]!["trainable"]!.GetValue<bool>(), Is.False);

        var normalization = LaterCases().Single(c => c.Name == "batch_normalization").Make().GetConfig()["layers"]![0]!["config"]!;
        Assert.That(normalization.ToJsonString(), Is.EqualTo(
            """{"name":"batch_normalization","trainable":true,"input_shape":[4,3],"axis":1,"momentum":0.9,"epsilon":0.01,"center":false,"scale":true}"""));
    }

    [Test]
    public void ALoadedBidirectionalKeepsEachDirectionsWeightsAndWhichOnesTrain()
    {
        var c = LaterCases().Single(c => c.Name == "bidirectional");
        var model = c.Make();
        model.Seed = 8;
        model.Predict(c.Inputs());
        string file = PathOf("bidirectional.keras");
        model.Save(file);
        var loaded = Models.LoadModel(file);
        var layers = loaded.Layers.OfType<Layers.Bidirectional>().ToList();
        Assert.That(layers, Has.Count.EqualTo(3));
        Assert.That(layers.Select(l => (l.Forward.Name, l.Backward.Name, l.MergeMode)),
            Is.EqualTo(model.Layers.OfType<Layers.Bidirectional>().Select(l => (l.Forward.Name, l.Backward.Name, l.MergeMode))));
        Assert.That(layers[1].Forward.GoBackwards && !layers[1].Backward.GoBackwards, "a goBackwards layer's forward copy reads backwards, as the original's did");
        Assert.That(loaded.TrainableWeights.Select(w => w.Name), Is.EqualTo(model.TrainableWeights.Select(w => w.Name)));
        // The two copies hold different values, so copies swapped by the load would show here.
        var weights = loaded.GetWeights();
        Assert.That(Bits(weights[0]), Is.Not.EqualTo(Bits(weights[3])), "forward and backward kernels differ");
        Assert.That(weights.Select(Bits), Is.EqualTo(model.GetWeights().Select(Bits)));
    }

    [Test]
    public void BatchNormalizationsMovingStatisticsComeBackAndTheNextFitStepStillMovesThem()
    {
        var x = Random(new Shape(40, 3), 1, 2);
        var y = Random(new Shape(40, 1), 2);
        var model = new Sequential([
            new Layers.Dense(4, inputShape: [3]),
            new Layers.BatchNormalization(momentum: 0.8),
            new Layers.Dense(1),
        ]) { Seed = 3 };
        model.Compile(new AdamOptimizer(0.01), "mse");
        model.Fit(x, y, epochs: 2, batchSize: 8, shuffle: false, verbose: 0);
        string file = PathOf("batch_normalization.keras");
        model.Save(file);
        var saved = model.GetWeights();
        var uninterrupted = model.Fit(x, y, epochs: 3, batchSize: 8, shuffle: false, verbose: 0, initialEpoch: 2)["loss"];

        var loaded = Models.LoadModel(file);
        var normalization = (Layers.BatchNormalization)loaded.Layers[1];
        Assert.That((normalization.Momentum, normalization.Epsilon), Is.EqualTo((0.8, 1e-3)));
        Assert.That(loaded.GetWeights().Select(Bits), Is.EqualTo(saved.Select(Bits)), "the moving statistics among the weights");
        var resumed = loaded.Fit(x, y, epochs: 3, batchSize: 8, shuffle: false, verbose: 0, initialEpoch: 2)["loss"];
        Assert.That(resumed.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(uninterrupted.Select(BitConverter.DoubleToInt64Bits)));
        int movingMean = loaded.Weights.ToList().FindIndex(w => w.Name.Contains("moving_mean", StringComparison.Ordinal));
        Assert.That(movingMean, Is.GreaterThanOrEqualTo(0));
        var after = loaded.GetWeights();
        Assert.That(Bits(after[movingMean]), Is.Not.EqualTo(Bits(saved[movingMean])), "the loaded model's training step moves the moving mean");
        Assert.That(after.Select(Bits), Is.EqualTo(model.GetWeights().Select(Bits)), "every weight, moving statistics included, as the uninterrupted run's");
    }

    /// <summary>Seed 004's model with two inputs: two sub-models whose outputs are joined, compiled and trained.</summary>
    private static Model TwoInputModel()
    {
        var inputA = Layers.Input([64]);
        var inputB = Layers.Input([128]);
        var x = new Layers.Dense(16, activation: "relu").Apply(inputA);
        x = new Layers.Dense(8, activation: "relu").Apply(x);
        var xModel = new Model(inputA, x);
        var y = new Layers.Dense(64, activation: "relu").Apply(inputB);
        y = new Layers.Dense(32, activation: "relu").Apply(y);
        y = new Layers.Dense(8, activation: "relu").Apply(y);
        var yModel = new Model(inputB, y);
        var z = new Layers.Dense(2, activation: "relu").Apply(Concatenate([xModel.Output, yModel.Output]));
        z = new Layers.Dense(1).Apply(z);
        return new Model([xModel.Input, yModel.Input], z) { Seed = 5 };
    }

    [Test]
    public void TheSeedsTwoInputModelComesBackCompiledAndTrained()
    {
        var model = TwoInputModel();
        var a = Random(new Shape(64, 64), 1);
        var b = Random(new Shape(64, 128), 2);
        var target = Random(new Shape(64, 1), 3);
        model.Compile(new MomentumOptimizer(0.01, 0.9, useNesterov: true), "mse", ["accuracy"]);
        model.Fit([a, b], target, epochs: 2, batchSize: 16, shuffle: false, verbose: 0);
        string file = PathOf("two_inputs.keras");
        model.Save(file);

        var loaded = Models.LoadModel(file);
        Assert.That(loaded.CountParams(), Is.EqualTo(11_813));
        Assert.That(loaded.Layers.Select(l => l.Name), Is.EqualTo(model.Layers.Select(l => l.Name)));
        Assert.That(Bits(loaded.Predict([a, b])), Is.EqualTo(Bits(model.Predict([a, b]))));
        Assert.That(loaded.Summary(TextWriter.Null), Is.EqualTo(model.Summary(TextWriter.Null)));
        var (optimizer, loss, metrics) = loaded.CompiledWith!.Value;
        Assert.That(optimizer, Is.TypeOf<MomentumOptimizer>());
        var momentum = (MomentumOptimizer)optimizer;
        Assert.That((momentum.LearningRate.Value, momentum.Momentum.Value, momentum.UseNesterov), Is.EqualTo((0.01, 0.9, true)));
        Assert.That((loss, metrics), Is.EqualTo(("mse", new[] { "accuracy" })).Using<(string, IReadOnlyList<string>)>((p, q) => p.Item1 == q.Item1 && p.Item2.SequenceEqual(q.Item2)));
        Assert.That(loaded.Evaluate([a, b], target, verbose: 0), Is.EqualTo(model.Evaluate([a, b], target, verbose: 0)));
    }

    private static Model Regressor(Optimizer optimizer)
    {
        var model = new Sequential([
            new Layers.Dense(8, activation: "tanh", inputShape: [3], kernelRegularizer: "l2"),
            new Layers.Dense(1),
        ]) { Seed = 7 };
        model.Compile(optimizer, "mse");
        return model;
    }

    /// <summary>Every optimizer class, each schedule class as a learning rate, and the clipping settings, by name.</summary>
    private static IEnumerable<(string Name, Func<Optimizer> Make)> OptimizerCases()
    {
        static (string, Func<Optimizer>) Case(string name, Func<Optimizer> make) => (name, make);
        yield return Case("Adam", () => new AdamOptimizer(0.01));
        yield return Case("Momentum", () => new MomentumOptimizer(0.05, 0.9));
        yield return Case("RMSProp", () => new RmsPropOptimizer(0.01, momentum: 0.5, centered: true));
        yield return Case("Adagrad", () => new AdagradOptimizer(0.1));
        yield return Case("GradientDescent", () => new GradientDescentOptimizer(0.1));
        yield return Case("Adadelta", () => new AdadeltaOptimizer(1.0, rho: 0.9, epsilon: 1e-6));
        yield return Case("Adamax", () => new AdamaxOptimizer(0.01, beta1: 0.8));
        yield return Case("Nadam", () => new NadamOptimizer(0.01, scheduleDecay: 0.01));
        // 5 steps an epoch, saved after step 10: each schedule's rate still moves in the resumed epochs.
        yield return Case("ExponentialDecay", () => new GradientDescentOptimizer(new ExponentialDecay(0.1, 4, 0.5, staircase: true)));
        yield return Case("PiecewiseConstantDecay", () => new MomentumOptimizer(new PiecewiseConstantDecay([6, 12], [0.1, 0.05, 0.01]), 0.9));
        yield return Case("PolynomialDecay", () => new AdamOptimizer(new PolynomialDecay(0.02, 6, 0.001, power: 2, cycle: true)));
        yield return Case("InverseTimeDecay", () => new NadamOptimizer(new InverseTimeDecay(0.02, 3, 0.5)));
        yield return Case("CosineDecay", () => new AdamaxOptimizer(new CosineDecay(0.02, 20, alpha: 0.1)));
        yield return Case("ClipNorm", () => new AdamOptimizer(0.05) { ClipNorm = 0.1 });
        yield return Case("ClipValue", () => new AdadeltaOptimizer(1.0) { ClipValue = 0.01, ClipNorm = 0.5 });
    }

    public static IEnumerable<TestCaseData> Optimizers() => OptimizerCases().Select(c => new TestCaseData(c.Make).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Optimizers))]
    public void FitResumedFromTheFileGivesTheUninterruptedRunsLosses(Func<Optimizer> optimizer)
    {
        var x = Random(new Shape(40, 3), 1);
        var y = Random(new Shape(40, 1), 2);
        var model = Regressor(optimizer());
        model.Fit(x, y, epochs: 2, batchSize: 8, shuffle: false, verbose: 0);
        string file = PathOf("resume.keras");
        model.Save(file);
        var uninterrupted = model.Fit(x, y, epochs: 5, batchSize: 8, shuffle: false, verbose: 0, initialEpoch: 2)["loss"];

        var resumed = Models.LoadModel(file).Fit(x, y, epochs: 5, batchSize: 8, shuffle: false, verbose: 0, initialEpoch: 2)["loss"];
        Assert.That(resumed.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(uninterrupted.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public void AScheduleIsSavedAsItsConfigAndTheLoadedModelContinuesItFromTheSavedStep()
    {
        var x = Random(new Shape(40, 3), 1);
        var y = Random(new Shape(40, 1), 2);
        var model = Regressor(new MomentumOptimizer(new PiecewiseConstantDecay([6, 12], [0.1, 0.05, 0.01]), 0.9) { ClipNorm = 0.5 });
        model.Fit(x, y, epochs: 2, batchSize: 8, shuffle: false, verbose: 0);
        string file = PathOf("schedule.keras");
        model.Save(file);

        using (var zip = ZipFile.OpenRead(file))
        {
            var optimizer = JsonNode.Parse(ReadAll(zip.GetEntry("config.json")!))!["compile"]!["optimizer"]!["config"]!;
            Assert.That(optimizer["learning_rate"]!.ToJsonString(),
                Is.EqualTo("""{"class_name":"PiecewiseConstantDecay","config":{"boundaries":[6,12],"values":[0.1,0.05,0.01]}}"""), "Keras's form of a schedule");
            Assert.That((optimizer["clipnorm"]!.GetValue<double>(), optimizer["clipvalue"]), Is.EqualTo((0.5, (JsonNode?)null)));
        }
        var loaded = Models.LoadModel(file);
        var schedule = loaded.Optimizer.Optimizer.LearningRate.Schedule as PiecewiseConstantDecay;
        Assert.That(schedule, Is.Not.Null);
        Assert.That((schedule!.Boundaries, schedule.Values), Is.EqualTo((new[] { 6.0, 12.0 }, new[] { 0.1, 0.05, 0.01 })));
        Assert.That(loaded.Optimizer.Optimizer.ClipNorm, Is.EqualTo(0.5));
        Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(10), "the step counter as saved, not 0");
        Assert.That(loaded.Optimizer.LearningRate, Is.EqualTo(0.05).Within(1e-7), "the schedule's rate at step 10, past the first boundary");
        Assert.That(loaded.Optimizer.LearningRate, Is.EqualTo(model.Optimizer.LearningRate));
    }

    public static IEnumerable<TestCaseData> Schedules()
    {
        TestCaseData Case(LearningRateSchedule schedule) => new TestCaseData(schedule).SetArgDisplayNames(schedule.GetType().Name);
        yield return Case(new ExponentialDecay(0.1, 20, 0.96, staircase: true));
        yield return Case(new PiecewiseConstantDecay([10, 20.5], [1, 0.5, 0.125]));
        yield return Case(new PolynomialDecay(0.1, 50, 0.002, power: 0.5, cycle: true));
        yield return Case(new InverseTimeDecay(0.1, 30, 0.7));
        yield return Case(new CosineDecay(0.1, 40, alpha: 0.05));
    }

    [TestCaseSource(nameof(Schedules))]
    public void EveryScheduleComesBackWithItsArgumentsAndRates(LearningRateSchedule schedule)
    {
        var description = ScheduleConfig.Describe(schedule);
        var copy = ScheduleConfig.Create(JsonNode.Parse(description.ToJsonString())!.AsObject(), "test");
        Assert.That(copy, Is.TypeOf(schedule.GetType()));
        Assert.That(copy.ToString(), Is.EqualTo(schedule.ToString()), "every argument");
        var g = new Graph();
        var steps = Enumerable.Range(0, 60).Select(i => g.Constant(Tensor.Scalar(i * 3))).ToList();
        var rates = steps.Select(schedule.Rate).Concat(steps.Select(copy.Rate)).ToArray();
        using var session = new Session(g);
        var values = rates.Select(r => session.Run(r).GetDouble(0)).ToArray();
        Assert.That(values[steps.Count..], Is.EqualTo(values[..steps.Count]));
        Assert.That(values.Distinct().Count(), Is.GreaterThan(2), "the rates move over the steps tried");
    }

    [Test]
    public void AnUnknownScheduleIsInvalidDataNamingIt()
    {
        string file = Damaged("unknown_schedule", e => EditConfig(e, c => c["compile"]!["optimizer"]!["config"]!["learning_rate"] =
            JsonNode.Parse("""{"class_name":"WarmUp","config":{}}""")));
        var e = Assert.Throws<InvalidDataException>(() => Models.LoadModel(file))!;
        Assert.That(e.Message, Does.Contain(file).And.Contain("'WarmUp' is unknown").And.Contain("learning_rate"));
    }

    [Test]
    public void WithoutTheOptimizersStateTheNextLossWouldDiffer()
    {
        // What the resume test rests on: Adam's slots and β powers change the next step, so restoring them is what makes it equal.
        var x = Random(new Shape(40, 3), 1);
        var y = Random(new Shape(40, 1), 2);
        var model = Regressor(new AdamOptimizer(0.01));
        model.Fit(x, y, epochs: 2, batchSize: 8, shuffle: false, verbose: 0);
        model.SaveWeights(PathOf("weights"));
        double next = model.Fit(x, y, epochs: 3, batchSize: 8, shuffle: false, verbose: 0, initialEpoch: 2).Last("loss");

        var fresh = Regressor(new AdamOptimizer(0.01));
        fresh.LoadWeights(PathOf("weights"));
        double freshNext = fresh.Fit(x, y, epochs: 3, batchSize: 8, shuffle: false, verbose: 0, initialEpoch: 2).Last("loss");
        Assert.That(freshNext, Is.Not.EqualTo(next));
    }

    [Test]
    public void TheEntriesAreNpyArraysOfTheWeightsAndTheOptimizersState()
    {
        var model = Regressor(new AdamOptimizer(0.01));
        model.Fit(Random(new Shape(16, 3), 1), Random(new Shape(16, 1), 2), epochs: 1, batchSize: 8, verbose: 0);
        string file = PathOf("entries.keras");
        model.Save(file);

        using var zip = ZipFile.OpenRead(file);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        var weights = model.Weights;
        var values = model.GetWeights();
        for (int i = 0; i < weights.Count; i++)
        {
            string entry = $"weights/{VariableOp.NodeOf(weights[i]).Name}.npy";
            Assert.That(names, Does.Contain(entry));
            var read = Npy.Read(ReadAll(zip.GetEntry(entry)!), entry);
            Assert.That(read.Shape, Is.EqualTo(weights[i].Shape));
            Assert.That(Bits(read), Is.EqualTo(Bits(values[i])), entry);
        }
        var optimizerEntries = names.Where(n => n.StartsWith("optimizer/", StringComparison.Ordinal)).ToList();
        // Adam: m and v per weight, the two β powers, and the model's step counter and rate; no metric totals.
        Assert.That(optimizerEntries, Has.Count.EqualTo(2 * weights.Count + 4));
        Assert.That(optimizerEntries, Has.Some.Contains("beta1_power").And.Some.Contains("beta2_power"));
        var iterations = Npy.Read(ReadAll(zip.GetEntry(optimizerEntries.Single(n => n.EndsWith("/iterations.npy", StringComparison.Ordinal)))!), "iterations");
        Assert.That(iterations.GetDouble(0), Is.EqualTo(2), "two steps taken");
        var rate = Npy.Read(ReadAll(zip.GetEntry(optimizerEntries.Single(n => n.EndsWith("/learning_rate.npy", StringComparison.Ordinal)))!), "learning_rate");
        Assert.That(rate.GetDouble(0), Is.EqualTo(0.01).Within(1e-9));
        Assert.That(names.Where(n => n.Contains("totals")), Is.Empty);
        var beta1Power = Npy.Read(ReadAll(zip.GetEntry(optimizerEntries.Single(n => n.Contains("beta1_power")))!), "beta1_power");
        Assert.That(beta1Power.GetDouble(0), Is.EqualTo(Math.Pow(0.9, 3)).Within(1e-6), "β₁ to the power of the steps taken plus one");
        Assert.That(names.Count, Is.EqualTo(1 + weights.Count + optimizerEntries.Count));

        var config = JsonNode.Parse(ReadAll(zip.GetEntry("config.json")!))!;
        Assert.That(config["format"]!.GetValue<string>(), Is.EqualTo("graphdl.keras.model"));
        Assert.That(config["version"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(config["model"]!["class_name"]!.GetValue<string>(), Is.EqualTo("Sequential"));
        Assert.That(config["compile"]!["optimizer"]!.ToJsonString(), Does.StartWith("""{"class_name":"Adam","config":{"learning_rate":0.01"""));
    }

    [Test]
    public void ARateChangedAfterCompileComesBackWithTheModel()
    {
        var model = Regressor(new GradientDescentOptimizer(0.1));
        var x = Random(new Shape(16, 3), 1);
        var y = Random(new Shape(16, 1), 2);
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        model.Optimizer.LearningRate = 0.025;
        string file = PathOf("rate.keras");
        model.Save(file);

        var loaded = Models.LoadModel(file);
        Assert.That(loaded.Optimizer.LearningRate, Is.EqualTo(0.025).Within(1e-9));
        Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(2));
        var next = model.Fit(x, y, epochs: 1, batchSize: 8, shuffle: false, verbose: 0)["loss"][0];
        var resumed = loaded.Fit(x, y, epochs: 1, batchSize: 8, shuffle: false, verbose: 0)["loss"][0];
        Assert.That(resumed, Is.EqualTo(next), "the resumed run steps at the changed rate, as the original does");
    }

    private static int IndexOf(byte[] bytes, byte[] part)
    {
        for (int i = 0; i + part.Length <= bytes.Length; i++)
            if (bytes.AsSpan(i, part.Length).SequenceEqual(part)) return i;
        throw new AssertionException("the part is not in the bytes");
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    [Test]
    public void SaveReplacesAFileWholeAndLeavesNoTemporaryFile()
    {
        string file = PathOf("model.keras");
        File.WriteAllText(file, "old");
        var model = Regressor(new AdamOptimizer(0.01));
        model.Save(file);
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { "model.keras" }));
        Assert.That(Bits(Models.LoadModel(file).Predict(Random(new Shape(2, 3), 1))), Is.EqualTo(Bits(model.Predict(Random(new Shape(2, 3), 1)))));
    }

    private sealed class Subclassed : Model
    {
        private readonly Layers.Dense _dense = new(2);

        public Subclassed() : base("subclassed") { }

        protected override KerasTensor Call(KerasTensor inputs) => _dense.Apply(inputs);
    }

    [Test]
    public void ASubclassedModelCannotBeSavedWholeAndSaysToSaveTheWeights()
    {
        var model = new Subclassed();
        model.Build(3);
        string file = PathOf("subclassed.keras");
        var e = Assert.Throws<NotSupportedException>(() => model.Save(file))!;
        Assert.That(e.Message, Does.Contain("subclassed").And.Contain("SaveWeights"));
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public void AMissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => Models.LoadModel(PathOf("none.keras")));

    /// <summary>A saved model's file (the regressor's unless <paramref name="model"/> is given) with one change made to its entries.</summary>
    private string Damaged(string name, Action<Dictionary<string, byte[]>> change, Model? model = null)
    {
        string file = PathOf(name + ".keras");
        model ??= Regressor(new AdamOptimizer(0.01));
        model.Save(file);
        Dictionary<string, byte[]> entries;
        using (var zip = ZipFile.OpenRead(file))
            entries = zip.Entries.ToDictionary(e => e.FullName, ReadAll);
        change(entries);
        File.Delete(file);
        using (var zip = ZipFile.Open(file, ZipArchiveMode.Create))
            foreach (var (entryName, bytes) in entries)
            {
                using var s = zip.CreateEntry(entryName).Open();
                s.Write(bytes);
            }
        return file;
    }

    private static void EditConfig(Dictionary<string, byte[]> entries, Action<JsonObject> edit)
    {
        var config = JsonNode.Parse(entries["config.json"])!.AsObject();
        edit(config);
        entries["config.json"] = Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    private static byte[] NpyBytes(Tensor t)
    {
        var buffer = new MemoryStream();
        Npy.Write(buffer, t);
        return buffer.ToArray();
    }

    public static IEnumerable<TestCaseData> Damages()
    {
        TestCaseData Case(string name, Action<Dictionary<string, byte[]>> change, string expected) =>
            new TestCaseData(name, change, expected).SetName($"ADamagedFileIsInvalidData({name})");
        yield return Case("no_config", e => e.Remove("config.json"), "no config.json");
        yield return Case("config_not_json", e => e["config.json"] = Encoding.UTF8.GetBytes("{\"format\": "), "not valid JSON");
        yield return Case("foreign_format", e => EditConfig(e, c => c["format"] = "keras"), "format");
        yield return Case("newer_version", e => EditConfig(e, c => c["version"] = 2), "version 2");
        yield return Case("unknown_layer", e => EditConfig(e, c => c["model"]!["config"]!["layers"]![1]!["class_name"] = "Densest"), "'Densest' is unknown");
        yield return Case("missing_units", e => EditConfig(e, c => c["model"]!["config"]!["layers"]![1]!["config"]!.AsObject().Remove("units")), "'units' is missing");
        yield return Case("bad_units", e => EditConfig(e, c => c["model"]!["config"]!["layers"]![1]!["config"]!["units"] = -3), "refuses");
        yield return Case("missing_weight", e => e.Remove("weights/dense/kernel.npy"), "'weights/dense/kernel.npy' is missing");
        yield return Case("weight_of_another_shape", e => e["weights/dense/kernel.npy"] = NpyBytes(new Tensor(new Shape(3, 9), DType.Float32)), "has shape (3, 9)");
        yield return Case("weight_of_another_dtype", e => e["weights/dense/kernel.npy"] = NpyBytes(new Tensor(new Shape(3, 8), DType.Float64)), "Float64");
        yield return Case("weight_not_npy", e => e["weights/dense_1/bias.npy"] = [1, 2, 3], "not a valid .npy");
        yield return Case("unknown_optimizer", e => EditConfig(e, c => c["compile"]!["optimizer"]!["class_name"] = "Lion"), "'Lion' is unknown");
        yield return Case("missing_slot", e => e.Remove(e.Keys.First(k => k.StartsWith("optimizer/", StringComparison.Ordinal) && k.EndsWith("_m.npy", StringComparison.Ordinal))), "is missing");
    }

    [TestCaseSource(nameof(Damages))]
    public void ADamagedFileIsInvalidData(string name, Action<Dictionary<string, byte[]>> change, string expected)
    {
        string file = Damaged(name, change);
        var e = Assert.Throws<InvalidDataException>(() => Models.LoadModel(file))!;
        Assert.That(e.Message, Does.Contain(file).And.Contain(expected));
    }

    [Test]
    public void AFileWrittenBeforeGoBackwardsExistedLoadsReadingForwards()
    {
        var model = new Sequential([new Layers.LSTM(2, inputShape: [3, 2]), new Layers.Dense(1)]) { Seed = 1 };
        var x = Random(new Shape(2, 3, 2), 1);
        string file = Damaged("before_go_backwards", e => EditConfig(e, c => c["model"]!["config"]!["layers"]![0]!["config"]!.AsObject().Remove("go_backwards")), model);
        var loaded = Models.LoadModel(file);
        Assert.That(((Layers.LSTM)loaded.Layers[0]).GoBackwards, Is.False);
        Assert.That(Bits(loaded.Predict(x)), Is.EqualTo(Bits(model.Predict(x))));
    }

    [Test]
    public void ABidirectionalAroundALayerThatIsNotRecurrentIsInvalidData()
    {
        var model = new Sequential([new Layers.Bidirectional(new Layers.GRU(2), inputShape: [3, 2]), new Layers.Dense(1)]);
        string file = Damaged("bidirectional_dense", e => EditConfig(e, c => c["model"]!["config"]!["layers"]![0]!["config"]!["layer"] =
            JsonNode.Parse("""{"class_name":"Dense","config":{"name":"d","units":2,"activation":"linear","use_bias":true}}""")), model);
        var e = Assert.Throws<InvalidDataException>(() => Models.LoadModel(file))!;
        Assert.That(e.Message, Does.Contain(file).And.Contain("must be a recurrent layer").And.Contain("Dense"));
    }

    [Test]
    public void AFileThatIsNoZipOrATruncatedOneIsInvalidData()
    {
        string text = PathOf("text.keras");
        File.WriteAllText(text, "not a model");
        Assert.That(Assert.Throws<InvalidDataException>(() => Models.LoadModel(text))!.Message, Does.Contain(text).And.Contain("not a zip"));

        string whole = PathOf("whole.keras");
        Regressor(new AdamOptimizer(0.01)).Save(whole);
        var bytes = File.ReadAllBytes(whole);
        string truncated = PathOf("truncated.keras");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.That(Assert.Throws<InvalidDataException>(() => Models.LoadModel(truncated))!.Message, Does.Contain(truncated));

        // A flipped bit inside a weight's stored bytes: the deflate stream or the entry's CRC-32 catches it.
        var damaged = File.ReadAllBytes(whole);
        int at = IndexOf(damaged, Encoding.ASCII.GetBytes("weights/dense/kernel.npy")) + 60;
        damaged[at] ^= 0x10;
        string flipped = PathOf("flipped.keras");
        File.WriteAllBytes(flipped, damaged);
        Assert.That(Assert.Throws<InvalidDataException>(() => Models.LoadModel(flipped))!.Message, Does.Contain(flipped).And.Contain("weights/dense/kernel.npy"));
    }

    private (int ExitCode, string Error) Probe(params string[] args)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "GraphDL.ModelFileProbe.dll");
        Assert.That(File.Exists(probe), $"{probe} was not built beside the tests");
        var (exitCode, _, error) = ChildProcess.Run("dotnet", [probe, .. args], TimeSpan.FromMinutes(2));
        return (exitCode, error);
    }

    private string WriteNpy(string name, Tensor t)
    {
        string path = PathOf(name + ".npy");
        using var file = File.Create(path);
        Npy.Write(file, t);
        return path;
    }

    private Tensor ReadNpy(string path) => Npy.Read(File.ReadAllBytes(path), path);

    [TestCaseSource(nameof(AllCases))]
    public void AnotherProcessLoadsTheFileAndPredictsTheSameBits(Case c)
    {
        var model = c.Make();
        model.Seed ??= 42;
        var inputs = c.Inputs();
        var expected = model.Predict(inputs);
        string file = PathOf(c.Name + ".keras");
        model.Save(file);
        string output = PathOf("predictions.npy");
        var (exitCode, error) = Probe(["predict", file, output, .. inputs.Select((x, i) => WriteNpy($"input_{i}", x))]);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(Bits(ReadNpy(output)), Is.EqualTo(Bits(expected)));
    }

    /// <summary>The new classes and settings, and Adam, which the probe resumed first: each a process start, so not all of them.</summary>
    public static IEnumerable<TestCaseData> ProbedOptimizers() => OptimizerCases()
        .Where(c => new[] { "Adam", "Adadelta", "Adamax", "Nadam", "PolynomialDecay", "InverseTimeDecay", "ClipValue" }.Contains(c.Name))
        .Select(c => new TestCaseData(c.Make).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(ProbedOptimizers))]
    public void AnotherProcessResumesTrainingWithTheUninterruptedRunsLosses(Func<Optimizer> optimizer)
    {
        var x = Random(new Shape(40, 3), 1);
        var y = Random(new Shape(40, 1), 2);
        var model = Regressor(optimizer());
        model.Fit(x, y, epochs: 2, batchSize: 8, shuffle: false, verbose: 0);
        string file = PathOf("resume.keras");
        model.Save(file);
        var uninterrupted = model.Fit(x, y, epochs: 4, batchSize: 8, shuffle: false, verbose: 0, initialEpoch: 2)["loss"];

        string output = PathOf("losses.npy");
        var (exitCode, error) = Probe("fit", file, output, WriteNpy("x", x), WriteNpy("y", y), "4", "2");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(Bits(ReadNpy(output)), Is.EqualTo(uninterrupted.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public void AnotherProcessReportsADamagedFile()
    {
        string file = Damaged("probe_missing_weight", e => e.Remove("weights/dense/kernel.npy"));
        var (exitCode, error) = Probe("predict", file, PathOf("never.npy"), WriteNpy("x", Random(new Shape(2, 3), 1)));
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain(file).And.Contain("weights/dense/kernel.npy"));
    }

    /// <summary>A layer written outside the engine: y = factor · x, with its factor as its one argument.</summary>
    private sealed class Scale(double factor, string? name = null) : Layer(name)
    {
        public double Factor { get; } = factor;

        public override Shape ComputeOutputShape(Shape inputShape) => inputShape;

        protected override void Build(Graph g, Shape inputShape) { }

        protected override Output Call(Graph g, Output x, Output training) => x * Factor;

        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["factor"] = Factor;
            return config;
        }
    }

    /// <summary>Like <see cref="Scale"/>, but it never learnt to describe itself.</summary>
    private sealed class Undescribed(string? name = null) : Layer(name)
    {
        public override Shape ComputeOutputShape(Shape inputShape) => inputShape;

        protected override void Build(Graph g, Shape inputShape) { }

        protected override Output Call(Graph g, Output x, Output training) => x;
    }

    [Test]
    public void ALayerOfAnotherProgramJoinsWithAGetConfigAndARegisteredFactory()
    {
        LayerConfig.Register(nameof(Scale), c => new Scale(c.Double("factor"), c.Name));
        var model = new Sequential([new Layers.Dense(3, inputShape: [2]), new Scale(2.5), new Layers.Dense(1)]) { Seed = 1 };
        var x = Random(new Shape(4, 2), 1);
        string file = PathOf("scale.keras");
        model.Save(file);
        var loaded = Models.LoadModel(file);
        Assert.That(loaded.Layers[1], Is.TypeOf<Scale>());
        Assert.That(((Scale)loaded.Layers[1]).Factor, Is.EqualTo(2.5));
        Assert.That(Bits(loaded.Predict(x)), Is.EqualTo(Bits(model.Predict(x))));

        var undescribed = new Sequential([new Layers.Dense(3, inputShape: [2]), new Undescribed()]);
        var e = Assert.Throws<NotSupportedException>(() => undescribed.Save(PathOf("undescribed.keras")))!;
        Assert.That(e.Message, Does.Contain("undescribed").And.Contain("GetConfig").And.Contain("LayerConfig.Register"));
        Assert.That(File.Exists(PathOf("undescribed.keras")), Is.False);
    }

    [Test]
    public void AnOptimizerHyperparameterGivenAsATensorIsRefusedByName()
    {
        var model = new Sequential([new Layers.Dense(1, inputShape: [3])]);
        var rate = model.Graph.Placeholder(DType.Float32, Shape.Scalar, "rate");
        model.Compile(new GradientDescentOptimizer(rate), "mse");
        var e = Assert.Throws<NotSupportedException>(() => model.Save(PathOf("tensor_rate.keras")))!;
        Assert.That(e.Message, Does.Contain("learning_rate").And.Contain("'rate"));
        Assert.That(File.Exists(PathOf("tensor_rate.keras")), Is.False);
    }

    /// <summary>The model's predictions for <see cref="X"/> at the end of every epoch.</summary>
    private sealed class PredictionRecorder(Tensor x) : Callback
    {
        public Tensor X { get; } = x;

        public List<Tensor> Epochs { get; } = [];

        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Epochs.Add(Model!.Predict(X));
    }

    [Test]
    public void ACheckpointOfTheWholeModelLoadsAndPredictsAsTheModelDidAtThatEpoch()
    {
        var x = Random(new Shape(40, 3), 1);
        var y = Random(new Shape(40, 1), 2);
        var model = Regressor(new AdamOptimizer(0.05));
        var checkpoint = new ModelCheckpoint(Path.Combine(_folder, "epochs", "model-{epoch}.keras"), monitor: "loss");
        var recorder = new PredictionRecorder(x);
        model.Fit(x, y, epochs: 3, batchSize: 8, shuffle: false, verbose: 0, callbacks: [checkpoint, recorder]);
        Assert.That(checkpoint.SaveWeightsOnly, Is.False, "Keras's default, for a path that does not end in .npz");
        Assert.That(checkpoint.LastSaved, Is.EqualTo((2, Path.Combine(_folder, "epochs", "model-3.keras"))));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var loaded = Models.LoadModel(Path.Combine(_folder, "epochs", $"model-{epoch + 1}.keras"));
            Assert.That(Bits(loaded.Predict(x)), Is.EqualTo(Bits(recorder.Epochs[epoch])), $"epoch {epoch + 1}");
            Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(5 * (epoch + 1)), "with the optimizer's state of that epoch");
        }
        Assert.That(Bits(recorder.Epochs[0]), Is.Not.EqualTo(Bits(recorder.Epochs[2])), "the epochs' models differ");
    }

    [Test]
    public void ACheckpointPathEndingInNpzKeepsWritingTheWeightsAndSaveWeightsOnlyDecidesWhenGiven()
    {
        var x = Random(new Shape(16, 3), 1);
        var y = Random(new Shape(16, 1), 2);
        var model = Regressor(new AdamOptimizer(0.05));
        var weights = new ModelCheckpoint(PathOf("weights.npz"), monitor: "loss");
        var weightsByChoice = new ModelCheckpoint(PathOf("chosen"), monitor: "loss", saveWeightsOnly: true);
        var wholeByChoice = new ModelCheckpoint(PathOf("whole.npz"), monitor: "loss", saveWeightsOnly: false);
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0, callbacks: [weights, weightsByChoice, wholeByChoice]);
        Assert.That((weights.SaveWeightsOnly, weightsByChoice.SaveWeightsOnly, wholeByChoice.SaveWeightsOnly), Is.EqualTo((true, true, false)));
        Assert.That(weightsByChoice.LastSaved!.Value.Path, Is.EqualTo(PathOf("chosen.npz")));
        Assert.Throws<InvalidDataException>(() => Models.LoadModel(PathOf("weights.npz")), "a weights checkpoint is no model file");

        var fresh = Regressor(new AdamOptimizer(0.05));
        fresh.LoadWeights(PathOf("weights.npz"));
        Assert.That(Bits(fresh.Predict(x)), Is.EqualTo(Bits(model.Predict(x))));
        Assert.That(Bits(Models.LoadModel(PathOf("whole.npz")).Predict(x)), Is.EqualTo(Bits(model.Predict(x))));
    }
}
