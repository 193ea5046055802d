using System.Globalization;
using GraphDL;
using GraphDL.Lessons;
using GraphDL.Plots;

var lesson = Lesson.Start("CharRnnHello", args, slideSteps: 200);

// The slide's vocabulary and its one-hot vectors: x1 = 'h' = [1,0,0,0].
char[] vocabulary = ['h', 'e', 'l', 'o'];
const string input = "hell", target = "ello";
const int hiddenSize = 3;   // the slide's h has three numbers: [0.3, -0.1, 0.9]
int vocabularySize = vocabulary.Length, steps = input.Length;

float[,,] OneHot(string text)
{
    var v = new float[1, text.Length, vocabularySize];
    for (int t = 0; t < text.Length; t++) v[0, t, Array.IndexOf(vocabulary, text[t])] = 1;
    return v;
}
var inputs = OneHot(input);
var targets = OneHot(target);
for (int t = 0; t < steps; t++)
    Console.WriteLine($"x{t + 1} = '{input[t]}' = {Show.Array(Enumerable.Range(0, vocabularySize).Select(k => (int)inputs[0, t, k]))}" +
                      $"   target '{target[t]}' = {Show.Array(Enumerable.Range(0, vocabularySize).Select(k => (int)targets[0, t, k]))}");

// The network of the slide, unrolled over the four letters. W_xh, W_hh, W_hy are created once and read at
// every step (shared weights); the gradient builder then adds up each step's share of dW_hh: that sum is
// backpropagation through time, with no code of its own.
var g = new Graph { Seed = lesson.Seed };
var x = g.Placeholder(DType.Float32, new Shape(1, steps, vocabularySize), "x");
var y = g.Placeholder(DType.Float32, new Shape(1, steps, vocabularySize), "y");
var W_xh = g.Variable(Init.GlorotUniform([vocabularySize, hiddenSize]), "W_xh");
var W_hh = g.Variable(Init.GlorotUniform([hiddenSize, hiddenSize]), "W_hh");
var b_h = g.Variable(Init.Zeros(hiddenSize), "b_h");
var W_hy = g.Variable(Init.GlorotUniform([hiddenSize, vocabularySize]), "W_hy");
var b_y = g.Variable(Init.Zeros(vocabularySize), "b_y");

// h0 does not exist; the slide puts random numbers there, TensorFlow and Keras start from zeros, and so do we.
var h = g.Zeros(new Shape(1, hiddenSize), DType.Float32, "h0");
var hidden = new List<Output>();
var logits = new List<Output>();
var losses = new List<Output>();
for (int t = 0; t < steps; t++)
{
    var x_t = g.Squeeze(g.Slice(x, [0, t, 0], [-1, 1, -1]), [1]);
    var y_t = g.Squeeze(g.Slice(y, [0, t, 0], [-1, 1, -1]), [1]);
    h = g.Tanh(g.MatMul(x_t, W_xh) + g.MatMul(h, W_hh) + b_h);   // h_t = tanh(x_t W_xh + h_{t-1} W_hh + b)
    var logits_t = g.MatMul(h, W_hy) + b_y;                       // y_t = h_t W_hy + b
    hidden.Add(h);
    logits.Add(logits_t);
    losses.Add(g.SoftmaxCrossEntropyWithLogits(y_t, logits_t));
}
var loss = g.ReduceMean(g.Concat(losses, axis: 0));   // the mean of the four steps' cross entropies
var train = new AdamOptimizer(0.05).Minimize(loss);
var probabilities = g.Concat([.. logits.Select(l => g.Softmax(l))], axis: 0);   // (steps, vocabulary)
var predicted = g.ArgMax(probabilities, 1);

using var sess = new Session(g);
sess.Run(g.GlobalVariablesInitializer());
var feed = new FeedDict { [x] = Tensor.FromArray(inputs), [y] = Tensor.FromArray(targets) };
string Predict() => new([.. sess.Run(predicted, feed).ToDoubles().Select(k => vocabulary[(int)k])]);

var curve = new List<double>();
float lossValue = 0;
using (var bar = lesson.Progress(lesson.Steps))
{
    for (int step = 0; step < lesson.Steps; step++)
    {
        lossValue = (float)sess.Run([train, loss], feed)[1];
        curve.Add(lossValue);
        if (step % 50 == 0 || step == lesson.Steps - 1)
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "step {0,4}  loss {1:F5}  prediction: {2}", step, lossValue, Predict()));
        lesson.Board("hello").AddScalar("loss", lossValue, step);
        lesson.Board("hello").ProfileStep(sess, step);
        bar.Tick();
    }
}
float finalLoss = (float)sess.Run(loss, feed);
string prediction = Predict();
Console.WriteLine($"\"{input}\" -> \"{prediction}\"");

// What the network says at each step, as the slide draws the output layer.
var p = sess.Run(probabilities, feed).ToArray2D<float>();
Console.WriteLine("step input | P(h)   P(e)   P(l)   P(o)");
for (int t = 0; t < steps; t++)
    Console.WriteLine($"  {t + 1}   '{input[t]}'  | " + string.Join(" ", Enumerable.Range(0, vocabularySize).Select(k => p[t, k].ToString("F4", CultureInfo.InvariantCulture))));

// The engine's SimpleRnnCell is the same recurrence: run over the same weights it gives the same h_t.
var cell = SimpleRnnCell.FromWeights(W_xh, W_hh, b_h);
var unrolled = g.StaticRnn(cell, x);
double cellDifference = hidden.Zip(unrolled.Outputs)
    .Max(pair => sess.Run(pair.First, feed).ToDoubles().Zip(sess.Run(pair.Second, feed).ToDoubles()).Max(v => Math.Abs(v.First - v.Second)));

// 'l' is followed by 'l' once and by 'o' once: only the hidden state, remembering what came before, tells them apart.
if (lesson.FullRun)
{
    lesson.CheckEqual("prediction for \"hell\"", target, prediction);
    lesson.CheckAtMost("final loss", null, finalLoss, 0.05);
}
else
{
    lesson.Measure("prediction for \"hell\"", target, prediction);
    lesson.Measure("final loss", null, finalLoss);
}
int parameters = g.TrainableVariables.Sum(v => v.Shape.Size);
lesson.CheckThat("parameters (W_xh, W_hh, b_h, W_hy, b_y)", null, parameters, "4*3 + 3*3 + 3 + 3*4 + 4 = 40", parameters == 40);
lesson.CheckAtMost("SimpleRnnCell vs the loop, max |h difference|", null, cellDifference, 1e-6);

// Seed 003's RNN example: 4 inputs, 6 hidden units, 2 outputs. The slide multiplies column vectors, h = tanh(U x + W h),
// y = V h, so U is 6x4 (out x in). Keras and GraphDL multiply row vectors, x W_xh, and store each kernel as (in, units):
// the same matrices transposed. So the slide's U is the SimpleRNN's kernel transposed, W its recurrent kernel (square,
// so both ways round), and V the Dense layer's kernel transposed.
var seedRnn = new GraphDL.Keras.Sequential();
var rnnLayer = new GraphDL.Keras.Layers.SimpleRNN(6, inputShape: [steps, 4], name: "rnn");
var outputLayer = new GraphDL.Keras.Layers.Dense(2, name: "output");
seedRnn.Add(rnnLayer);
seedRnn.Add(outputLayer);
long seedRnnParameters = seedRnn.CountParams();   // builds the layers' weights
static string Dims(Shape s) => $"{s[0]}x{s[1]}";
static string Transposed(Shape s) => $"{s[1]}x{s[0]}";
Console.WriteLine();
Console.WriteLine("RNN의 구조 예 (seed 003): 입력 4개, 은닉 6개, 출력 2개");
Console.WriteLine($"   U (input -> hidden):  GraphDL kernel {Dims(rnnLayer.Kernel.Shape)} (in, units), transposed {Transposed(rnnLayer.Kernel.Shape)}");
Console.WriteLine($"   W (hidden -> hidden): GraphDL recurrent kernel {Dims(rnnLayer.RecurrentKernel.Shape)}");
Console.WriteLine($"   V (hidden -> output): GraphDL Dense kernel {Dims(outputLayer.Kernel.Shape)} (in, units), transposed {Transposed(outputLayer.Kernel.Shape)}");
lesson.CheckEqual("seed 003 RNN: U (4 inputs -> 6 hidden), kernel transposed", "6x4", Transposed(rnnLayer.Kernel.Shape));
lesson.CheckEqual("seed 003 RNN: V (6 hidden -> 2 outputs), Dense kernel transposed", "2x6", Transposed(outputLayer.Kernel.Shape));
lesson.CheckEqual("seed 003 RNN: W (6 hidden -> 6 hidden), recurrent kernel", "6x6", Dims(rnnLayer.RecurrentKernel.Shape));
// The slide gives no count; with the biases it leaves out: U, W and b for the RNN, V and its bias for the output.
lesson.CheckThat("seed 003 RNN: parameters with biases", null, seedRnnParameters, "6*4 + 6*6 + 6 + 2*6 + 2 = 80", seedRnnParameters == 80);

var lossPlot = new Plot();
lossPlot.Add.ScatterLine([.. Enumerable.Range(0, curve.Count).Select(s => (double)s)], curve).LegendText = "mean cross entropy of the 4 steps";
lossPlot.Axes.LogScaleY();
lossPlot.Title("CharRnnHello: hell -> ello, hidden size 3, Adam 0.05");
lossPlot.XLabel("step");
lossPlot.YLabel("loss");
lossPlot.Save(lesson.OutFile("loss.png"), 800, 600);

var heat = new Plot();
var cells = new double[steps, vocabularySize];
for (int t = 0; t < steps; t++) for (int k = 0; k < vocabularySize; k++) cells[t, k] = p[t, k];
var map = heat.Add.Heatmap(cells);
map.ShowValues = true;
map.ValueFormat = "F2";
map.RowLabels = [.. input.Select((c, t) => $"x{t + 1} = {c}")];
map.ColumnLabels = [.. vocabulary.Select(c => $"P({c})")];
heat.Add.ColorBar(map);
heat.Title("CharRnnHello: softmax output at each step after training");
heat.Save(lesson.OutFile("probabilities.png"), 800, 600);

// For the board: the unrolled network (with the SimpleRnnCell built over its weights) and seed 003's Keras model.
lesson.Board("hello").AddGraph(g);
lesson.Board("seed003").AddGraph(seedRnn.Graph);

return lesson.Finish();
