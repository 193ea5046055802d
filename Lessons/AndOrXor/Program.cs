// Seeds 001, 002 and 004: "AND, OR, XOR 연산 신경망 만들기".
// A perceptron (one threshold unit) learns AND and OR with Rosenblatt's rule but can never learn XOR,
// which no single line separates. The slide's hand-set network of three sigmoid neurons computes XOR,
// and a small sigmoid MLP trained by backpropagation finds such weights by itself.
using GraphDL;
using GraphDL.Lessons;
using GraphDL.Plots;

// The slide gives no step count for training the MLP; 5,000 steps of plain gradient descent is this lesson's.
var lesson = Lesson.Start("AndOrXor", args, slideSteps: 5000);

float[,] inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
var gates = new (string Name, float[] Targets)[]
{
    ("AND", [0, 0, 0, 1]),
    ("OR",  [0, 1, 1, 1]),
    ("XOR", [0, 1, 1, 0]),
};

var g = new Graph { Seed = lesson.Seed };
var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
var y = g.Placeholder(DType.Float32, new Shape(-1, 1), "y");

// Each model's answers over the whole input plane are kept for the picture at the end (DecisionRegionPanels, below).
var regions = new DecisionRegionPanels(inputs);

// ---- 1. The perceptron (seed 002) ----
// h(X) = φ(XW + b) with φ the binary step, and the learning rule w ← w + η (y - ŷ) x, b ← b + η (y - ŷ),
// applied one example at a time. The rule is two Assign ops in the graph: running `learn` computes ŷ
// from the current weights and then updates them.
const double Eta = 0.1;
const int PerceptronEpochs = 100;
var W = g.Variable(Init.Zeros(2, 1), "W");
var b = g.Variable(Init.Zeros(1), "b");
var yHat = g.Step(g.MatMul(x, W) + b);
var error = y - yHat;
var learn = g.Group(
    g.AssignAdd(W, Eta * g.MatMul(x, error, transposeA: true)).Node,
    g.AssignAdd(b, Eta * g.ReduceSum(error, axis: 0)).Node);

using var sess = new Session(g);
var allInputs = new FeedDict { [x] = inputs };
foreach (var (gate, targets) in gates)
{
    Console.WriteLine();
    Console.WriteLine($"Perceptron learns {gate}: targets {Show.Array(targets.Select(v => (int)v))}, η = {Eta}, W and b start at 0");
    sess.Run(g.VariablesInitializer([W, b]));
    int bestCorrect = 0, epochsRun = 0, fewestMistakes = int.MaxValue;
    for (int epoch = 1; epoch <= PerceptronEpochs; epoch++)
    {
        int mistakes = 0;   // examples the rule had to correct in this epoch (y - ŷ ≠ 0)
        for (int i = 0; i < inputs.GetLength(0); i++)
        {
            var example = new FeedDict { [x] = new float[,] { { inputs[i, 0], inputs[i, 1] } }, [y] = new float[,] { { targets[i] } } };
            var step = sess.Run([learn, error], example);
            if (step[1].GetDouble(0) != 0) mistakes++;
        }
        var r = sess.Run([yHat, W, b], allInputs);
        var predictions = r[0].ToArray<float>();
        int correct = predictions.Where((p, i) => p == targets[i]).Count();
        lesson.Board($"perceptron/{gate}").AddScalar("perceptron/corrected", mistakes, epoch);
        lesson.Board($"perceptron/{gate}").AddScalar("perceptron/correct", correct, epoch);
        bestCorrect = Math.Max(bestCorrect, correct);
        fewestMistakes = Math.Min(fewestMistakes, mistakes);
        epochsRun = epoch;
        // XOR never settles: after its first epochs every epoch undoes its own updates, so the rest are summarised.
        if (epoch <= 5 || correct == 4)
            Console.WriteLine($"  epoch {epoch,3}: W = {Show.Array(r[1].ToDoubles(), 2)}  b = {r[2].GetDouble(0),5:F2}  ({mistakes} corrected)  now ŷ = {Show.Array(predictions.Select(p => (int)p))}, {correct}/4 correct");
        if (correct == 4) break;
    }
    if (gate == "XOR")
    {
        Console.WriteLine($"  ... {epochsRun} epochs tried, every one correcting at least {fewestMistakes} examples, at best {bestCorrect}/4 correct: no line separates XOR.");
        lesson.CheckAtMost($"perceptron on XOR: best correct of 4 over {PerceptronEpochs} epochs", null, bestCorrect, 3);
    }
    else
    {
        Console.WriteLine($"  learned {gate} in {epochsRun} epochs.");
        lesson.CheckEqual($"perceptron learns {gate}: correct of 4", 4, bestCorrect);
    }
    regions.Add($"{gate} (perceptron)", sess, x, yHat, targets);
}

// ---- 2. The slide's hand-set XOR network (seed 001) ----
// Hidden neuron y1 = σ(5 x1 + 5 x2 - 8) fires only for 11 (AND), y2 = σ(-7 x1 - 7 x2 + 3) only for 00 (NOR),
// and the output σ(-11 y1 - 11 y2 + 6) fires when neither does: exactly XOR.
var handW1 = g.Constant(new float[,] { { 5, -7 }, { 5, -7 } }, "hand_W1");
var handB1 = g.Constant(new float[] { -8, 3 }, "hand_b1");
var handW2 = g.Constant(new float[,] { { -11 }, { -11 } }, "hand_W2");
var handB2 = g.Constant(new float[] { 6 }, "hand_b2");
var handHidden = g.Sigmoid(g.MatMul(x, handW1) + handB1);
var handOutput = g.Sigmoid(g.MatMul(handHidden, handW2) + handB2);

string[] slideTable = ["0 1 | 0 | 0", "0 0 | 1 | 1", "0 0 | 1 | 1", "1 0 | 0 | 0"];
var hand = sess.Run([handHidden, handOutput], allInputs);
var hidden = hand[0].ToArray2D<float>();
var output = hand[1].ToArray<float>();
Console.WriteLine();
Console.WriteLine("The slide's XOR network: w=[5,5] b=-8;  w=[-7,-7] b=3;  output w=[-11,-11] b=6");
Console.WriteLine("x1 x2 | y1 y2 | ŷ | XOR      (y1, y2, ŷ before rounding)");
var table = new string[4];
for (int i = 0; i < 4; i++)
{
    int x1 = (int)inputs[i, 0], x2 = (int)inputs[i, 1];
    table[i] = $"{Math.Round(hidden[i, 0])} {Math.Round(hidden[i, 1])} | {Math.Round(output[i])} | {x1 ^ x2}";
    Console.WriteLine($" {x1}  {x2} | {table[i]}      ({hidden[i, 0]:F4}, {hidden[i, 1]:F4}, {output[i]:F4})");
}
for (int i = 0; i < 4; i++)
    lesson.CheckEqual($"hand-set XOR network, x = {inputs[i, 0]}{inputs[i, 1]}: y1 y2 | ŷ | XOR", slideTable[i], table[i]);

// ---- 3. A 2-4-1 sigmoid MLP learns XOR by backpropagation ----
// Like the hand-set network but with four hidden neurons, started from random weights. (With the slide's two,
// 3 of 15 seeds tried got stuck with two outputs at 0.5; four learned XOR for all 21 seeds tried.) g.Gradients builds the backward
// pass as graph nodes, and the update is the slide's W ← W - α ∂J/∂W, one AssignSub per parameter; the
// gradients are built before the updates, so every step reads the weights it started from.
const double LearningRate = 2.0;
var W1 = g.Variable(Init.RandomNormal([2, 4], stddev: 1.0), "W1");
var b1 = g.Variable(Init.Zeros(4), "b1");
var W2 = g.Variable(Init.RandomNormal([4, 1], stddev: 1.0), "W2");
var b2 = g.Variable(Init.Zeros(1), "b2");
var h = g.Sigmoid(g.MatMul(x, W1) + b1);
var mlpOutput = g.Sigmoid(g.MatMul(h, W2) + b2);
var loss = g.ReduceMean(g.Square(mlpOutput - y));
Output[] parameters = [W1, b1, W2, b2];
var gradients = g.Gradients([loss], parameters);
var train = g.Group(parameters.Select((p, i) => g.AssignSub(p, LearningRate * gradients[i]!.Value).Node));

var xorFeed = new FeedDict { [x] = inputs, [y] = new float[,] { { 0 }, { 1 }, { 1 }, { 0 } } };
sess.Run(g.VariablesInitializer(parameters));
Console.WriteLine();
Console.WriteLine($"2-4-1 sigmoid MLP on XOR, loss = mean((ŷ - y)²), α = {LearningRate}, {lesson.Steps} steps:");
using (var bar = lesson.Progress(lesson.Steps + 1))
{
    for (int step = 0; step <= lesson.Steps; step++)
    {
        var r = sess.Run([train, loss], xorFeed);
        if (step % (Math.Max(lesson.Steps, 5) / 5) == 0) Console.WriteLine($"  step {step,5}  loss {(float)r[1]:F6}");
        lesson.Board("mlp").AddScalar("mlp/loss", (float)r[1], step);
        lesson.Board("mlp").ProfileStep(sess, step);
        bar.Tick();
    }
}
var learned = sess.Run(mlpOutput, allInputs).ToArray<float>();
int mlpCorrect = learned.Where((p, i) => (p >= 0.5f ? 1 : 0) == (int)gates[2].Targets[i]).Count();
Console.WriteLine($"  ŷ = {Show.Array(learned.Select(v => (double)v), 4)}  ->  {Show.Array(learned.Select(v => v >= 0.5f ? 1 : 0))}, {mlpCorrect}/4 correct");
if (lesson.FullRun)
    lesson.CheckEqual("2-4-1 MLP learns XOR: correct of 4", 4, mlpCorrect);
else
    lesson.Skip("2-4-1 MLP learns XOR: correct of 4", 4, $"needs the full {lesson.SlideSteps} steps");
regions.Add("XOR (2-4-1 MLP)", sess, x, mlpOutput, gates[2].Targets);

regions.Save(lesson.OutFile("decision_regions.png"));
// One graph holds all three networks; the board shows it with the MLP's run.
lesson.Board("mlp").AddGraph(g);

return lesson.Finish();

/// <summary>
/// The picture of what each model answers over the whole input plane: its outputs on a grid over
/// [-0.5, 1.5]², one panel per model, with the four inputs marked by their targets.
/// </summary>
sealed class DecisionRegionPanels(float[,] inputs)
{
    private const int Resolution = 200;
    private const double Low = -0.5, High = 1.5;
    private readonly float[,] _grid = Grid();
    private readonly List<(string Title, int[,] Classes, float[] Targets)> _panels = [];

    /// <summary>Adds a panel of <paramref name="model"/>'s answers (at least 0.5 reads as 1) fed through <paramref name="x"/>.</summary>
    public void Add(string title, Session sess, Output x, Output model, float[] targets)
    {
        var outputs = sess.Run(model, new FeedDict { [x] = _grid }).ToArray<float>();
        var classes = new int[Resolution, Resolution];   // row 0 is the bottom row of the picture, as DecisionRegions wants
        for (int i = 0; i < outputs.Length; i++) classes[i / Resolution, i % Resolution] = outputs[i] >= 0.5f ? 1 : 0;
        _panels.Add((title, classes, targets));
    }

    public void Save(string path)
    {
        var figure = new Multiplot(2, 2) { Title = "Decision regions: the perceptron draws one line, the MLP bends it" };
        foreach (var (title, classes, targets) in _panels)
        {
            var panel = figure.AddPlot();
            panel.Add.DecisionRegions(classes, Low, High, Low, High);
            for (int label = 0; label <= 1; label++)
            {
                var at = Enumerable.Range(0, 4).Where(i => targets[i] == label).ToArray();
                var points = panel.Add.ScatterPoints([.. at.Select(i => (double)inputs[i, 0])], [.. at.Select(i => (double)inputs[i, 1])], Palette.Get(label));
                points.LegendText = $"target {label}";
                points.MarkerSize = 12;
            }
            panel.Title(title);
            panel.XLabel("x1");
            panel.YLabel("x2");
        }
        figure.Save(path, 1000, 1000);
    }

    private static float[,] Grid()
    {
        var grid = new float[Resolution * Resolution, 2];
        for (int row = 0; row < Resolution; row++)
            for (int col = 0; col < Resolution; col++)
            {
                grid[row * Resolution + col, 0] = (float)(Low + (col + 0.5) * (High - Low) / Resolution);
                grid[row * Resolution + col, 1] = (float)(Low + (row + 0.5) * (High - Low) / Resolution);
            }
        return grid;
    }
}
