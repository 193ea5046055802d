using System.Diagnostics;
using GraphDL.Keras;
using GraphDL.Lessons;
using GraphDL.Plots;

var lesson = Lesson.Start("ModelSummary", args, slideSteps: 1);

// A Dense layer's parameters are its weight matrix and its bias: inputs × units + units. A convolution's are its
// filters and one bias each: kh × kw × channels × filters + filters. Pooling, Flatten and Dropout have none.
// Every count below comes from the shapes of the variables the layers create; nothing is trained or even run.

var tables = new List<string>();   // every summary printed, also saved to summaries.txt

// Seed 003, "DNN: 가장 기본적인 layer 구조".
Console.WriteLine("""

    model = models.Sequential()
    model.add(tf.keras.layers.Dense(32, input_shape=(784, )))
    model.add(tf.keras.layers.Dense(10))
    model.add(tf.keras.layers.Dense(20))
    model.summary()
    """);
var dnn = new Sequential();
dnn.Add(new Layers.Dense(32, inputShape: [784]));
dnn.Add(new Layers.Dense(10));
dnn.Add(new Layers.Dense(20));
tables.Add(dnn.Summary());
CheckCounts("seed 003", dnn, [25_120, 330, 220], total: 25_670);

// Seed 000, "TF2 모델 구성 방법": the same network written three ways.
Console.WriteLine("""

    # Passing a list of layers to the constructor / adding layers with add() / the functional API
    inputs = Input(shape=(4,))
    x = Dense(5, activation='relu')(inputs)
    x = Dense(10, activation='relu')(x)
    outputs = Dense(3, activation='softmax')(x)
    model = Model(inputs=inputs, outputs=outputs)
    """);
var fromList = new Sequential([
    new Layers.Dense(5, activation: "relu", inputShape: [4]),
    new Layers.Dense(10, activation: "relu"),
    new Layers.Dense(3, activation: "softmax"),
]);
var byAdd = new Sequential();
byAdd.Add(new Layers.Dense(5, activation: "relu", inputShape: [4]));
byAdd.Add(new Layers.Dense(10, activation: "relu"));
byAdd.Add(new Layers.Dense(3, activation: "softmax"));
var inputs = Layers.Input([4]);
var x = new Layers.Dense(5, activation: "relu").Apply(inputs);
x = new Layers.Dense(10, activation: "relu").Apply(x);
var outputs = new Layers.Dense(3, activation: "softmax").Apply(x);
var functional = new Model(inputs, outputs);
tables.Add(functional.Summary());
// The slide gives no count here; the formula does: 4 × 5 + 5, 5 × 10 + 10, 10 × 3 + 3.
CheckCounts("seed 000 functional", functional, [0, 25, 60, 33], total: 118);
lesson.CheckEqual("seed 000 Sequential([...]) total params", 118L, fromList.CountParams());
lesson.CheckEqual("seed 000 Sequential().add(...) total params", 118L, byAdd.CountParams());

// Seed 000's churn model (DNN.ipynb), and its version with dropout against overfitting.
Console.WriteLine("""

    model = Sequential()
    model.add(Dense(64, activation='relu', input_shape=(30,)))
    model.add(Dense(64, activation='relu'))
    model.add(Dense(32, activation='relu'))
    model.add(Dense(1, activation='sigmoid'))
    """);
var churn = new Sequential();
churn.Add(new Layers.Dense(64, activation: "relu", inputShape: [30]));
churn.Add(new Layers.Dense(64, activation: "relu"));
churn.Add(new Layers.Dense(32, activation: "relu"));
churn.Add(new Layers.Dense(1, activation: "sigmoid"));
tables.Add(churn.Summary());
CheckCounts("seed 000 churn", churn, [1_984, 4_160, 2_080, 33], total: 8_257);

var churnDropout = new Sequential();
churnDropout.Add(new Layers.Dense(128, activation: "relu", inputShape: [30]));
churnDropout.Add(new Layers.Dropout(0.3));
churnDropout.Add(new Layers.Dense(64, activation: "relu"));
churnDropout.Add(new Layers.Dropout(0.5));
churnDropout.Add(new Layers.Dense(32, activation: "relu"));
churnDropout.Add(new Layers.Dropout(0.2));
churnDropout.Add(new Layers.Dense(1, activation: "sigmoid"));
tables.Add(churnDropout.Summary());
// Not on the slide either: 30 × 128 + 128, 128 × 64 + 64, 64 × 32 + 32, 32 + 1; dropout adds none.
CheckCounts("seed 000 churn with dropout", churnDropout, [3_968, 0, 8_256, 0, 2_080, 0, 33], total: 14_337);

// Seed 004, the TensorFlow quickstart: a 28 × 28 image flattened to 784 inputs.
var quickstart = new Sequential([
    new Layers.Flatten(inputShape: [28, 28]),
    new Layers.Dense(128, activation: "relu"),
    new Layers.Dropout(0.2),
    new Layers.Dense(10, activation: "softmax"),
]);
tables.Add(quickstart.Summary());
CheckCounts("seed 004 quickstart", quickstart, [0, 100_480, 0, 1_290], total: 101_770);

// VGG-16, configuration D of seed 000's table: thirteen 3 × 3 convolutions ("conv3-64" ...) in five blocks, each block
// ending in a 2 × 2 max pool, then FC-4096, FC-4096, FC-1000 and softmax, on a 224 × 224 RGB image. Built as Keras
// builds it (keras.applications.VGG16, same layer names) with the functional API. Its 138 million parameters would
// take 553 MB as float32; building the graph creates variables, which hold no value until a session initialises them.
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
var clock = Stopwatch.StartNew();
var image = Layers.Input([224, 224, 3]);
var h = image;
int[][] blocks = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
for (int b = 0; b < blocks.Length; b++)
{
    for (int c = 0; c < blocks[b].Length; c++)
        h = new Layers.Conv2D(blocks[b][c], 3, padding: "same", activation: "relu", name: $"block{b + 1}_conv{c + 1}").Apply(h);
    h = new Layers.MaxPooling2D(2, strides: 2, name: $"block{b + 1}_pool").Apply(h);
}
var lastPool = h;
var flattened = new Layers.Flatten(name: "flatten").Apply(lastPool);
h = new Layers.Dense(4096, activation: "relu", name: "fc1").Apply(flattened);
h = new Layers.Dense(4096, activation: "relu", name: "fc2").Apply(h);
var predictions = new Layers.Dense(1000, activation: "softmax", name: "predictions").Apply(h);
var vgg16 = new Model(image, predictions, "vgg16");
long vggParams = vgg16.CountParams();
double buildSeconds = clock.Elapsed.TotalSeconds;
long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
tables.Add(vgg16.Summary());

// Keras's VGG16 summary: 3 × 3 × in × out + out per convolution, 7 × 7 × 512 × 4096 + 4096 for fc1, ...
long[] vggLayers =
[
    0,
    1_792, 36_928, 0,
    73_856, 147_584, 0,
    295_168, 590_080, 590_080, 0,
    1_180_160, 2_359_808, 2_359_808, 0,
    2_359_808, 2_359_808, 2_359_808, 0,
    0, 102_764_544, 16_781_312, 4_097_000,
];
CheckCounts("VGG-16", vgg16, vggLayers, total: 138_357_544);
// Five 2 × 2 pools halve 224 five times: 224 / 32 = 7.
lesson.CheckEqual("VGG-16 block5_pool output shape", "(None, 7, 7, 512)", Layer.Format(lastPool.Shape));
lesson.CheckEqual("VGG-16 flatten output (7 × 7 × 512)", 25_088, flattened.Shape[1]);
// The graph holds shapes, not values: what building it allocated is a sliver of the 553 MB the weights would take.
lesson.CheckAtMost("VGG-16 graph: bytes allocated to build it and count", null, allocated, 0.01 * 4.0 * vggParams);
lesson.Measure("VGG-16 graph: seconds to build it and count", null, Math.Round(buildSeconds, 3));

// Where VGG-16's parameters are: three quarters in fc1 alone.
var weighted = vgg16.Layers.Where(l => l.CountParams() > 0).ToList();
var bars = new Plot();
bars.Add.Bars([.. weighted.Select(l => l.Name.Replace("block", "b").Replace("_conv", ".c").Replace("predictions", "pred"))],
    [.. weighted.Select(l => (double)l.CountParams())]);
bars.Axes.LogScaleY();
bars.Title($"VGG-16: parameters per layer (total {vggParams:N0}; fc1 holds {100.0 * weighted.First(l => l.Name == "fc1").CountParams() / vggParams:F0}%)");
bars.YLabel("parameters (log scale)");
bars.Save(lesson.OutFile("vgg16_params.png"), 1200, 600);

// The rest of seed 000's table: configurations A to E, built from their columns as VGG-16 (D) is above. "conv3-256" is a
// 3 × 3 convolution with 256 filters, "conv1-256" (C only) a 1 × 1 one; each block ends in a 2 × 2 max pool and all five
// share FC-4096, FC-4096, FC-1000. The table gives no counts; Simonyan & Zisserman's Table 2 does, in millions
// (A and A-LRN 133, B 133, C 134, D 138, E 144), and E's exact count is Keras's VGG19 summary: 143,667,240.
(int Filters, int Kernel)[] Convs(int filters, int count, bool pointwiseLast = false) =>
    [.. Enumerable.Range(0, count).Select(i => (filters, pointwiseLast && i == count - 1 ? 1 : 3))];
var configurations = new (string Name, int WeightLayers, long PaperMillions, (int Filters, int Kernel)[][] Blocks)[]
{
    ("A", 11, 133, [Convs(64, 1), Convs(128, 1), Convs(256, 2), Convs(512, 2), Convs(512, 2)]),
    ("B", 13, 133, [Convs(64, 2), Convs(128, 2), Convs(256, 2), Convs(512, 2), Convs(512, 2)]),
    ("C", 16, 134, [Convs(64, 2), Convs(128, 2), Convs(256, 3, pointwiseLast: true), Convs(512, 3, pointwiseLast: true), Convs(512, 3, pointwiseLast: true)]),
    ("D", 16, 138, [Convs(64, 2), Convs(128, 2), Convs(256, 3), Convs(512, 3), Convs(512, 3)]),
    ("E", 19, 144, [Convs(64, 2), Convs(128, 2), Convs(256, 4), Convs(512, 4), Convs(512, 4)]),
};
Console.WriteLine();
Console.WriteLine("ConvNet Configuration   weight layers   parameters     (paper, millions)");
var configurationCounts = new Dictionary<string, long>();
foreach (var (name, weightLayers, paperMillions, configBlocks) in configurations)
{
    var vgg = Vgg(name, configBlocks);
    long count = vgg.CountParams();
    configurationCounts[name] = count;
    int countedWeightLayers = vgg.Layers.Count(l => l.CountParams() > 0);
    lesson.Board($"vgg/{name}").AddGraph(vgg.Graph);
    Console.WriteLine($"   {name,-21}{countedWeightLayers,14}{count,16:N0}{paperMillions,12}");
    lesson.CheckEqual($"VGG {name}: weight layers", weightLayers, countedWeightLayers);
    lesson.CheckEqual($"VGG {name}: parameters, millions (rounded)", paperMillions, (long)Math.Round(count / 1e6));
    lesson.Measure($"VGG {name}: parameters", null, count);
}
// A-LRN is A with a local response normalisation after its first convolution (tf.nn.local_response_normalization,
// TF1's defaults). Keras has no LRN layer, so it goes in as Keras users put it, a Lambda around the op; it has no
// weights, so A-LRN must count exactly what A counts.
var aLrn = Vgg("A-LRN", configurations[0].Blocks, localResponseNormalization: true);
long aLrnCount = aLrn.CountParams();
int aLrnWeightLayers = aLrn.Layers.Count(l => l.CountParams() > 0);
Console.WriteLine($"   {"A-LRN",-21}{aLrnWeightLayers,14}{aLrnCount,16:N0}{133,12}");
lesson.CheckEqual("VGG A-LRN: weight layers", 11, aLrnWeightLayers);
lesson.CheckEqual("VGG A-LRN: parameters, millions (rounded)", 133L, (long)Math.Round(aLrnCount / 1e6));
lesson.CheckEqual("VGG A-LRN: LRN layers (after block1_conv1)", 1, aLrn.Layers.Count(l => l is Layers.Lambda && l.Name == "lrn"));
lesson.CheckEqual("VGG A-LRN: parameters, equal to A's", configurationCounts["A"], aLrnCount);
lesson.Board("vgg/A-LRN").AddGraph(aLrn.Graph);
lesson.CheckThat("VGG D built from the table: parameters", null, configurationCounts["D"], "equal to VGG-16 above", configurationCounts["D"] == vggParams);
lesson.CheckEqual("VGG E (VGG-19): parameters", 143_667_240L, configurationCounts["E"]);

// Seed 000's minibatch slide: "총 데이터가 1,000,000개, batch size가 1,000 이면 ... 1 Epoch = 1,000,000/batch size =
// 1,000 iteration". Not the division: Fit runs one epoch of a one-weight model over a million one-feature rows in
// batches of 1,000, and the optimizer's step counter (Keras's model.optimizer.iterations) says how many steps it took.
Console.WriteLine();
Console.WriteLine("ex) 총 데이터가 1,000,000개, batch size가 1,000 이면, 1 Epoch = 1,000,000/batch size = 1,000 iteration");
const int samples = 1_000_000, batchSize = 1_000;
var rows = new float[samples, 1];
var targets = new float[samples, 1];
var line = new Sequential([new Layers.Dense(1, inputShape: [1])]);
line.Compile("sgd", "mse");
var epochClock = Stopwatch.StartNew();
line.Fit(rows, targets, epochs: 1, batchSize: batchSize, shuffle: false, verbose: 0, callbacks: [lesson.TensorBoard("line")]);
long iterations = line.Optimizer.Iterations;
Console.WriteLine($"   model.fit(x, y, batch_size={batchSize:N0}, epochs=1) on {samples:N0} rows: model.optimizer.iterations = {iterations:N0} " +
    $"({epochClock.Elapsed.TotalSeconds:F2} s)");
lesson.CheckEqual("1 epoch of 1,000,000 samples at batch size 1,000: iterations", 1_000L, iterations);

File.WriteAllText(lesson.OutFile("summaries.txt"), string.Join("\n", tables));

// For the board: the graph of every model summarised above (the VGG configurations went with their counts).
foreach (var (run, summarised) in new (string, Model)[] { ("dnn", dnn), ("functional", functional), ("churn", churn), ("churn_dropout", churnDropout), ("quickstart", quickstart), ("vgg16", vgg16) })
    lesson.Board(run).AddGraph(summarised.Graph);

return lesson.Finish();

// A VGG configuration from its column of seed 000's table, on a 224 × 224 RGB image with 1,000 classes; A-LRN adds a
// local response normalisation after the first convolution.
static Model Vgg(string configuration, (int Filters, int Kernel)[][] blocks, bool localResponseNormalization = false)
{
    var image = Layers.Input([224, 224, 3]);
    var h = image;
    for (int b = 0; b < blocks.Length; b++)
    {
        for (int c = 0; c < blocks[b].Length; c++)
        {
            h = new Layers.Conv2D(blocks[b][c].Filters, blocks[b][c].Kernel, padding: "same", activation: "relu", name: $"block{b + 1}_conv{c + 1}").Apply(h);
            if (localResponseNormalization && b == 0 && c == 0)
                h = new Layers.Lambda((g, x) => g.LocalResponseNormalization(x), name: "lrn").Apply(h);
        }
        h = new Layers.MaxPooling2D(2, strides: 2, name: $"block{b + 1}_pool").Apply(h);
    }
    h = new Layers.Flatten(name: "flatten").Apply(h);
    h = new Layers.Dense(4096, activation: "relu", name: "fc1").Apply(h);
    h = new Layers.Dense(4096, activation: "relu", name: "fc2").Apply(h);
    return new Model(image, new Layers.Dense(1000, activation: "softmax", name: "predictions").Apply(h), $"vgg_{configuration}");
}

// Checks each layer's count and the model's total against the expected ones.
void CheckCounts(string model, Model m, long[] perLayer, long total)
{
    if (m.Layers.Count != perLayer.Length)
        lesson.CheckEqual($"{model}: number of layers", perLayer.Length, m.Layers.Count);
    foreach (var (layer, expected) in m.Layers.Zip(perLayer))
        if (expected > 0 || layer.CountParams() > 0)
            lesson.CheckEqual($"{model} {layer.Name} params", expected, layer.CountParams());
    lesson.CheckEqual($"{model} total params", total, m.CountParams());
    lesson.CheckEqual($"{model} trainable params", total, m.TrainableWeights.Sum(w => (long)w.Shape.Size));
}
