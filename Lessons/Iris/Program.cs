using System.Globalization;
using GraphDL;
using GraphDL.Data;
using GraphDL.Lessons;
using GraphDL.Plots;

var lesson = Lesson.Start("Iris", args, slideSteps: 100_001);

// The slide loads sklearn's datasets.load_iris(); the same 150 flowers ship with GraphDL as iris.csv,
// read by the same CSV reader you would use for a file of your own.
var iris = Datasets.Iris();
string[] features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
var species = iris.Classes("species", "setosa", "versicolor", "virginica");   // iris.target's numbering
var trainX = iris.ToTensor(features);
var trainY = species.OneHot();   // get_one_hot(iris.target, 3)
Console.WriteLine($"{iris.RowCount} flowers, {features.Length} features, {species.Count} species: {string.Join(", ", species.Names)}");

Console.WriteLine("print(train_y[0:10])");
var oneHot = trainY.ToArray2D<float>();
for (int i = 0; i < 10; i++)
{
    string row = "[" + string.Join(" ", Enumerable.Range(0, 3).Select(c => $"{oneHot[i, c]:0}.")) + "]";
    Console.WriteLine((i == 0 ? "[" : " ") + row + (i == 9 ? "]" : ""));
}

// The model: one softmax layer, W and b starting at zero.
var g = new Graph { Seed = lesson.Seed };
var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
var y = g.Placeholder(DType.Float32, new Shape(-1, 3), "y");
var W = g.Variable(Init.Zeros(4, 3), "W");
var b = g.Variable(Init.Zeros(3), "b");
var h = g.Softmax(g.MatMul(x, W) + b);
var crossEntropy = -g.ReduceSum(y * g.Log(h), axis: 1);
var loss = g.ReduceMean(crossEntropy);
var train = new GradientDescentOptimizer(0.001).Minimize(loss);

using var sess = new Session(g);
sess.Run(g.GlobalVariablesInitializer());
var feed = new FeedDict { [x] = trainX, [y] = trainY };

// Zero weights and the whole data set in every step leave nothing to chance: every printed loss
// should be the slide's to the digits it prints.
var slideLoss = new Dictionary<int, double>
{
    [0] = 1.09861, [10_000] = 0.35752, [20_000] = 0.27034, [30_000] = 0.22396, [40_000] = 0.19488, [50_000] = 0.17486,
};
var printedLoss = new Dictionary<int, double>();
var curveSteps = new List<double>();
var curveLoss = new List<double>();
using (var bar = lesson.Progress(lesson.Steps))
{
    for (int i = 0; i < lesson.Steps; i++)
    {
        var r = sess.Run([train, loss], feed);
        float lossValue = (float)r[1];
        if (i % 100 == 0)
        {
            curveSteps.Add(i);
            curveLoss.Add(lossValue);
            lesson.Board().AddScalar("loss", lossValue, i);
        }
        if (i % 10_000 == 0)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Step {0}, {1:F5}", i, lossValue));
            printedLoss[i] = lossValue;
        }
        lesson.Board().ProfileStep(sess, i);
        bar.Tick();
    }
}
foreach (var (step, slide) in slideLoss)
{
    if (printedLoss.TryGetValue(step, out double ours)) lesson.Check($"step {step} loss", slide, ours, 1e-4);
    else lesson.Skip($"step {step} loss", slide, $"the run stops before step {step:N0}");
}

// Accuracy on the training set, as the slide measures it.
var correctPrediction = g.Equal(g.ArgMax(h, 1), g.ArgMax(y, 1));
var accuracy = g.ReduceMean(g.Cast(correctPrediction, DType.Float32));
float accuracyValue = (float)sess.Run(accuracy, feed);
Console.WriteLine(accuracyValue.ToString(CultureInfo.InvariantCulture));

int[] predictY = sess.Run(g.ArgMax(h, 1), feed).ToDoubles().Select(v => (int)v).ToArray();
int[] trueY = species.Labels;   // train_y.argmax(axis=1)
var table = CrossTab.Compute(trueY, predictY);   // pd.crosstab(train_y.argmax(axis=1), predict_y, margins=True)
Console.WriteLine(table);
// Each row as "counts | total", the All row last, to hold against the slide's table.
List<string> crossTab = [.. Enumerable.Range(0, table.RowLabels.Count)
    .Select(r => $"{string.Join(" ", Enumerable.Range(0, table.ColumnLabels.Count).Select(c => table[r, c]))} | {table.RowTotals[r]}")
    .Append($"{string.Join(" ", table.ColumnTotals)} | {table.Total}")];
int correct = predictY.Zip(trueY).Count(p => p.First == p.Second);
if (lesson.FullRun)
{
    // The slide prints 0.9866667: 148 of 150 flowers, in float32.
    lesson.CheckEqual("correct predictions", 148, correct);
    lesson.Check("accuracy", 0.9866667, accuracyValue, 5e-8);
    string[] slideRows = ["50 0 0 | 50", "0 48 2 | 50", "0 0 50 | 50", "50 48 52 | 150"];
    for (int row = 0; row < slideRows.Length; row++)
        lesson.CheckEqual($"crosstab row {(row < 3 ? row.ToString(CultureInfo.InvariantCulture) : "All")}", slideRows[row], row < crossTab.Count ? crossTab[row] : "-");
}
else
{
    lesson.Measure("accuracy", 0.9866667, accuracyValue);
    lesson.Skip("correct predictions", 148, "only the slide's 100,001 steps reach it");
    lesson.Skip("crosstab", "[50 0 0], [0 48 2], [0 0 50]", "only the slide's 100,001 steps reach it");
}

// Pictures: the loss falling, and the two petal measurements that separate the species.
var lossPlot = new Plot();
lossPlot.Add.ScatterLine(curveSteps, curveLoss).LegendText = "loss (every 100 steps)";
lossPlot.Add.ScatterPoints([.. printedLoss.Keys.Where(slideLoss.ContainsKey).Select(s => (double)s)],
    [.. printedLoss.Keys.Where(slideLoss.ContainsKey).Select(s => slideLoss[s])]).LegendText = "slide";
lossPlot.Title("Iris: cross-entropy loss, gradient descent 0.001");
lossPlot.XLabel("step");
lossPlot.YLabel("loss");
lossPlot.Save(lesson.OutFile("loss.png"), 800, 600);

var petals = new Plot();
double[] petalLength = iris.Numbers("petal_length"), petalWidth = iris.Numbers("petal_width");
for (int c = 0; c < species.Count; c++)
{
    var members = Enumerable.Range(0, iris.RowCount).Where(i => trueY[i] == c).ToArray();
    petals.Add.ScatterPoints([.. members.Select(i => petalLength[i])], [.. members.Select(i => petalWidth[i])], Palette.Get(c)).LegendText = species.Names[c];
}
var wrong = Enumerable.Range(0, iris.RowCount).Where(i => predictY[i] != trueY[i]).ToArray();
if (wrong.Length > 0)
{
    var misses = petals.Add.ScatterPoints([.. wrong.Select(i => petalLength[i])], [.. wrong.Select(i => petalWidth[i])], ScottPlot.Colors.Black);
    misses.MarkerShape = ScottPlot.MarkerShape.OpenCircle;
    misses.MarkerSize = 14;
    misses.LegendText = $"misclassified ({wrong.Length})";
}
petals.Title("Iris: petal length and width by species");
petals.XLabel("petal length (cm)");
petals.YLabel("petal width (cm)");
petals.Save(lesson.OutFile("petals.png"), 800, 600);

// For the board: the graph with its accuracy nodes, and the training accuracy after the last step.
lesson.Board().AddGraph(g);
lesson.Board().AddScalar("accuracy", accuracyValue, lesson.Steps - 1);

return lesson.Finish();
