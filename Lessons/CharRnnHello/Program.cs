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

return lesson.Finish();
