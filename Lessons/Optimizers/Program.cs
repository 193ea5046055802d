using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.Data;
using GraphDL.Lessons;
using GraphDL.Plots;
using GraphDL.Summaries;

// The slides list the optimizers (GD, Momentum, AdaGrad, RMSprop, Adam) without code or numbers. This
// lesson puts them side by side twice:
//   (a) on f(x, y) = x²/20 + y², a bowl twenty times steeper in y than in x, from (-7, 2): the picture
//       everyone draws for them. The learning rates are the ones that picture is usually drawn with
//       (SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3); it has no RMSprop, so RMSprop gets 0.3 with a
//       decay of 0.95. The picture stops after 30 steps; we take 100, where every optimizer has settled.
//   (b) on MNIST: one 784-100-10 ReLU network, the same initial weights and the same batches for all
//       five, each optimizer at its common default learning rate (0.01 for the gradient methods,
//       0.001 for RMSprop and Adam).
// The update rules are TF1's: AdaGrad's sum of squared gradients starts at 0.1 and RMSprop's running
// mean square at 1, not at 0. The second is why RMSprop barely moves in its first MNIST steps: while
// that 1 decays by 0.9 a step towards the tiny squared gradients of the weights, it divides the step
// by about 1 instead of by the gradient's size.
// --steps sets the MNIST training steps; the paths on f always take their 100 steps (they cost nothing).
var lesson = Lesson.Start("Optimizers", args, slideSteps: 300);

// ---------------------------------------------------------------- (a) paths on f(x, y) = x²/20 + y²
const int pathSteps = 100;
const int pictureSteps = 30;
(string Name, Func<Optimizer> Create)[] onTheBowl =
[
    ("SGD lr=0.95", () => new GradientDescentOptimizer(0.95)),
    ("Momentum lr=0.1 m=0.9", () => new MomentumOptimizer(0.1, momentum: 0.9)),
    ("AdaGrad lr=1.5", () => new AdagradOptimizer(1.5)),
    ("RMSprop lr=0.3 rho=0.95", () => new RmsPropOptimizer(0.3, decay: 0.95)),
    ("Adam lr=0.3", () => new AdamOptimizer(0.3)),
];

Console.WriteLine($"(a) f(x, y) = x^2/20 + y^2 from (-7, 2), {pathSteps} steps each");
var paths = new List<(double X, double Y)>[onTheBowl.Length];
for (int k = 0; k < onTheBowl.Length; k++)
{
    paths[k] = Descend(onTheBowl[k].Create(), pathSteps, lesson.Board($"bowl/{Short(onTheBowl[k].Name)}"));
    var end = paths[k][^1];
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-24} step 1 ({1:F3}, {2:F3})  step {3} ({4:F3}, {5:F3})  step {6} ({7:E2}, {8:E2})",
        onTheBowl[k].Name, paths[k][1].X, paths[k][1].Y, pictureSteps, paths[k][pictureSteps].X, paths[k][pictureSteps].Y, pathSteps, end.X, end.Y));
}

// Every optimizer finds the minimum at (0, 0); how it gets there is the lesson.
const double arrivalTolerance = 0.05;
for (int k = 0; k < onTheBowl.Length; k++)
{
    var end = paths[k][^1];
    lesson.CheckAtMost($"{Short(onTheBowl[k].Name)}: distance from (0, 0) after {pathSteps} steps", 0, Math.Sqrt(end.X * end.X + end.Y * end.Y), arrivalTolerance);
}

// SGD's step in y, 0.95 * 2y, overshoots the valley floor: y flips sign at every step (the zig-zag),
// while the others change y's sign seldom or never. Flips count only where |y| >= 0.01 on both sides,
// the ones a reader can see.
int[] yFlips = paths.Select(p => VisibleSignChanges(p.Select(q => q.Y).ToList())).ToArray();
int sgdFlipsInPicture = VisibleSignChanges(paths[0].Take(pictureSteps + 1).Select(q => q.Y).ToList());
lesson.CheckEqual($"SGD: y sign changes in the first {pictureSteps} steps (zig-zag)", pictureSteps, sgdFlipsInPicture);
string flipList = string.Join(", ", onTheBowl.Select((o, k) => $"{Short(o.Name)} {yFlips[k]}"));
lesson.CheckThat($"y sign changes in {pathSteps} steps", null, flipList, "SGD's at least 3x every other's",
    yFlips.Skip(1).All(n => 3 * n <= yFlips[0]));
// AdaGrad's steps shrink as squared gradients pile up and RMSprop's are scaled per direction, so
// neither bounces across the valley.
lesson.CheckEqual("AdaGrad: y sign changes", 0, yFlips[2]);
lesson.CheckEqual("RMSprop: y sign changes", 0, yFlips[3]);
// Momentum and Adam carry velocity: like a ball in a bowl they roll past x = 0 and come back; plain
// SGD, AdaGrad and RMSprop creep up on it from the left.
double[] farthestX = paths.Select(p => p.Max(q => q.X)).ToArray();
lesson.CheckAtLeast("Momentum: farthest x past the minimum", null, farthestX[1], 0.25);
lesson.CheckAtLeast("Adam: farthest x past the minimum", null, farthestX[4], 0.25);
lesson.CheckThat("SGD, AdaGrad, RMSprop: largest x", null,
    string.Join(", ", new[] { 0, 2, 3 }.Select(k => Lesson.Format(Math.Round(farthestX[k], 6)))), "<= 0 (never past the minimum)",
    new[] { 0, 2, 3 }.All(k => farthestX[k] <= 0));

// ---------------------------------------------------------------- (b) MNIST loss curves
// mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
var mnist = Mnist.Load(lesson.DataDir, Console.WriteLine, seed: lesson.Seed);
(string Name, Func<Optimizer> Create)[] onMnist =
[
    ("SGD lr=0.01", () => new GradientDescentOptimizer(0.01)),
    ("Momentum lr=0.01 m=0.9", () => new MomentumOptimizer(0.01, momentum: 0.9)),
    ("AdaGrad lr=0.01", () => new AdagradOptimizer(0.01)),
    ("RMSprop lr=0.001", () => new RmsPropOptimizer(0.001)),
    ("Adam lr=0.001", () => new AdamOptimizer(0.001)),
];
const int batchSize = 100;
Console.WriteLine($"(b) MNIST, 784-100-10 ReLU network, {lesson.Steps:N0} steps of {batchSize} images, the same start and batches for every optimizer");
var losses = new List<double>[onMnist.Length];
var testAccuracies = new double[onMnist.Length];
var clock = Stopwatch.StartNew();
using (var bar = lesson.Progress(onMnist.Length * (long)lesson.Steps))
{
    for (int k = 0; k < onMnist.Length; k++)
    {
        // The same graph seed gives every network the same initial weights, and a data set shuffled
        // with the same seed hands out the same batches in the same order.
        var g = new Graph { Seed = lesson.Seed };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, 10), "y");
        var W1 = g.Variable(Init.TruncatedNormal([784, 100], stddev: 0.1), "W1");
        var b1 = g.Variable(Init.Constant(0.1, 100), "b1");
        var h1 = g.Relu(g.MatMul(x, W1) + b1);
        var W2 = g.Variable(Init.TruncatedNormal([100, 10], stddev: 0.1), "W2");
        var b2 = g.Variable(Init.Constant(0.1, 10), "b2");
        var logits = g.MatMul(h1, W2) + b2;
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(y, logits));
        var train = onMnist[k].Create().Minimize(loss);
        var accuracy = g.ReduceMean(g.Cast(g.Equal(g.ArgMax(logits, 1), g.ArgMax(y, 1)), DType.Float32));

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var batches = new DataSet(mnist.Train.Features, mnist.Train.Labels, seed: lesson.Seed);
        losses[k] = [];
        // One board run per optimizer, with the same tags, so that the board draws the five losses on one chart.
        var board = lesson.Board($"mnist/{Short(onMnist[k].Name)}");
        board.AddGraph(g);
        for (int i = 0; i < lesson.Steps; i++)
        {
            var (batchXs, batchYs) = batches.NextBatch(batchSize);
            var r = sess.Run([train, loss], new FeedDict { [x] = batchXs, [y] = batchYs });
            losses[k].Add((float)r[1]);
            board.AddScalar("mnist/loss", (float)r[1], i);
            board.ProfileStep(sess, i);
            bar.Tick();
        }
        testAccuracies[k] = (float)sess.Run(accuracy, new FeedDict { [x] = mnist.Test.Features, [y] = mnist.Test.Labels });
        board.AddScalar("mnist/test_accuracy", testAccuracies[k], lesson.Steps - 1);
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-24} loss step 0 {1:F4}, last 20 steps {2:F4}, test accuracy {3:F4}",
            onMnist[k].Name, losses[k][0], LastMean(losses[k]), testAccuracies[k]));
    }
}
lesson.Measure("ms per training step", null, Math.Round(1000 * clock.Elapsed.TotalSeconds / (onMnist.Length * lesson.Steps), 3));

// Same start: the first batch's loss, computed before any update, is the same number for all five.
// Every optimizer must then bring the loss below it.
lesson.CheckThat("step 0 loss, all five", null, Lesson.Format(losses[0][0]), "the same for every optimizer",
    losses.All(l => l[0] == losses[0][0]));
for (int k = 0; k < onMnist.Length; k++)
{
    string name = Short(onMnist[k].Name);
    if (lesson.Steps >= 20)
        lesson.CheckAtMost($"{name}: mean loss of the last 20 steps", null, LastMean(losses[k]), losses[k][0]);
    else
        lesson.Skip($"{name}: mean loss of the last 20 steps", null, "fewer than 20 steps");
    lesson.Measure($"{name}: test accuracy", null, Math.Round(testAccuracies[k], 4));
}
// The slide's point, as in the usual picture: plain SGD is the slowest of the five.
if (lesson.FullRun)
    lesson.CheckThat("slowest optimizer (highest final loss)", "SGD", Short(onMnist[Enumerable.Range(0, onMnist.Length).MaxBy(k => LastMean(losses[k]))].Name),
        "is SGD", Enumerable.Range(1, onMnist.Length - 1).All(k => LastMean(losses[k]) < LastMean(losses[0])));
else
    lesson.Skip("slowest optimizer (highest final loss)", "SGD", $"only the full {lesson.SlideSteps:N0} steps are checked");

// ---- Pictures ----

// The picture: each path on the contours of f, and f along the way.
var pathFigure = new Multiplot(2, 3) { Title = "Optimizers on f(x, y) = x^2/20 + y^2 from (-7, 2)" };
double[] levels = [0.25, 0.5, 1, 2, 4, 8];
for (int k = 0; k < onTheBowl.Length; k++)
{
    var panel = pathFigure.AddPlot();
    var bands = panel.Add.DecisionRegions((px, py) => levels.Count(level => F(px, py) > level), -10, 10, -3, 3, resolution: 240);
    bands.ClassColor = band => ScottPlot.Colors.Gray.Lighten(0.95 - 0.55 * band / levels.Length);   // darker uphill
    foreach (double level in levels)
    {
        // x²/20 + y² = c is the ellipse (√(20c) cos t, √c sin t).
        var angles = Enumerable.Range(0, 121).Select(i => 2 * Math.PI * i / 120).ToArray();
        panel.Add.ScatterLine(angles.Select(t => Math.Sqrt(20 * level) * Math.Cos(t)).ToArray(),
            angles.Select(t => Math.Sqrt(level) * Math.Sin(t)).ToArray(), ScottPlot.Colors.Gray).LineWidth = 0.75;
    }
    var line = panel.Add.Scatter(paths[k].Select(q => q.X).ToArray(), paths[k].Select(q => q.Y).ToArray(), Palette.Get(k));
    line.MarkerSize = 4;
    panel.Add.ScatterPoints([0], [0], ScottPlot.Colors.Black).MarkerShape = ScottPlot.MarkerShape.Eks;
    panel.Axes.SetLimits(-10, 10, -3, 3);
    panel.Title(onTheBowl[k].Name);
    panel.XLabel("x");
    panel.YLabel("y");
}
var valuePanel = pathFigure.AddPlot();
for (int k = 0; k < onTheBowl.Length; k++)
    valuePanel.Add.ScatterLine(Enumerable.Range(0, pathSteps + 1).Select(i => (double)i).ToArray(),
        paths[k].Select(q => F(q.X, q.Y)).ToArray(), Palette.Get(k)).LegendText = Short(onTheBowl[k].Name);
valuePanel.Axes.LogScaleY();
valuePanel.Title("f(x, y) along the path");
valuePanel.XLabel("step");
valuePanel.YLabel("f");
pathFigure.Save(lesson.OutFile("paths.png"), 1500, 860);

// The MNIST losses, smoothed over 10 batches so that the optimizers' curves can be told apart.
var lossPlot = new Plot();
for (int k = 0; k < onMnist.Length; k++)
    lossPlot.Add.ScatterLine(Enumerable.Range(0, losses[k].Count).Select(i => (double)i).ToArray(),
        MovingMean(losses[k], 10), Palette.Get(k)).LegendText = onMnist[k].Name;
lossPlot.Axes.LogScaleY();
lossPlot.Title("MNIST 784-100-10: training loss (mean of the last 10 batches)");
lossPlot.XLabel("step");
lossPlot.YLabel("cross-entropy loss");
lossPlot.Save(lesson.OutFile("mnist_loss.png"), 900, 600);

return lesson.Finish();

static double F(double x, double y) => x * x / 20 + y * y;

// One optimizer on its own graph: x and y are the variables, f is the loss, Minimize is the step.
// The board gets the graph and, at every step, where the optimizer stands and the value of f there.
static List<(double X, double Y)> Descend(Optimizer optimizer, int steps, FileWriter board)
{
    var g = new Graph();
    var x = g.Variable(Init.Constant(-7.0), "x");
    var y = g.Variable(Init.Constant(2.0), "y");
    var f = g.Square(x) / 20 + g.Square(y);
    var train = optimizer.Minimize(f);
    board.AddGraph(g);
    using var sess = new Session(g);
    sess.Run(g.GlobalVariablesInitializer());
    var path = new List<(double X, double Y)>();
    for (int i = 0; ; i++)
    {
        var r = sess.Run([x, y]);
        path.Add(((float)r[0], (float)r[1]));
        board.AddScalar("bowl/x", path[^1].X, i);
        board.AddScalar("bowl/y", path[^1].Y, i);
        board.AddScalar("bowl/f", F(path[^1].X, path[^1].Y), i);
        if (i == steps) return path;
        sess.Run(train);
    }
}

static int VisibleSignChanges(List<double> values)
{
    int changes = 0;
    for (int i = 1; i < values.Count; i++)
        if (values[i - 1] * values[i] < 0 && Math.Abs(values[i - 1]) >= 0.01 && Math.Abs(values[i]) >= 0.01) changes++;
    return changes;
}

static string Short(string name) => name[..name.IndexOf(' ')];

static double LastMean(List<double> values) => values.TakeLast(20).Average();

static double[] MovingMean(List<double> values, int window) =>
    Enumerable.Range(0, values.Count).Select(i => values.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Average()).ToArray();
