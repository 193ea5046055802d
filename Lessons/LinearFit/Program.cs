using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.Lessons;
using GraphDL.Plots;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

var lesson = Lesson.Start("LinearFit", args, slideSteps: 2_500_001);
var inv = CultureInfo.InvariantCulture;

double[] xs = [32, 64, 96, 118, 126, 144, 152.5, 158];
double[] ys = [18, 24, 61.5, 49, 52, 105, 130.3, 125];

// 1. The normal equation: A holds a column of x and a column of ones, so A [a b]^T = B is the line
//    y = a x + b. A is 8x2, not square, so the slide solves with the left pseudo-inverse (A^T A)^-1 A^T.
var A = Matrix<double>.Build.DenseOfColumnArrays(xs, Enumerable.Repeat(1.0, xs.Length).ToArray());
var B = Vector<double>.Build.DenseOfArray(ys);
Console.WriteLine("print(A)");
for (int row = 0; row < A.RowCount; row++)
    Console.WriteLine((row == 0 ? "[[" : " [") + $"{NumpyFloat(A[row, 0]),5} {NumpyFloat(A[row, 1]),3}" + (row == A.RowCount - 1 ? "]]" : "]"));
var aInv = (A.Transpose() * A).Inverse() * A.Transpose();
var ab = aInv * B;
string abPrinted = "[" + string.Join(" ", ab.Select(v => v.ToString("F8", inv))) + "]";
Console.WriteLine($"print(ab)\n{abPrinted}");

// The slide prints ab to 8 decimals and the same least-squares line again, in full, from polyfit:
// the printout is compared as printed, the values to 1e-9 against polyfit's full digits.
const double SlideW = 0.8749312625981284, SlideB = -26.7907861679542;
lesson.CheckEqual("normal equation, printed", "[0.87493126 -26.79078617]", abPrinted);
lesson.Check("normal equation a", SlideW, ab[0], 1e-9);
lesson.Check("normal equation b", SlideB, ab[1], 1e-9);

// 2. The easier way: a least-squares line fit (numpy's polyfit(x, y, 1)).
var (intercept, slope) = Fit.Line(xs, ys);
Console.WriteLine($"w, b = np.polyfit(x, y, 1)\n{slope.ToString("R", inv)} {intercept.ToString("R", inv)}");
lesson.Check("polyfit w", SlideW, slope, 1e-9);
lesson.Check("polyfit b", SlideB, intercept, 1e-9);

// The lowest cost any line can reach: what gradient descent is heading for.
double optimumCost = xs.Zip(ys).Average(p => Math.Pow(slope * p.First + intercept - p.Second, 2));
Console.WriteLine($"lowest possible cost (mean squared error of that line): {optimumCost.ToString("R", inv)}");

// 3. Deep learning's way: gradient descent on the same cost, in float32, exactly as the slide.
var g = new Graph { Seed = lesson.Seed };
var xData = g.Constant(xs.Select(v => (float)v).ToArray(), "x_data");
var yData = g.Constant(ys.Select(v => (float)v).ToArray(), "y_data");
var W = g.Variable(Init.RandomNormal([1], mean: -10.0, stddev: 10.0), "W");      // tf.random_normal([1], -10.0, 10.0)
var b = g.Variable(Init.RandomNormal([1], mean: -100.0, stddev: 100.0), "b");    // tf.random_normal([1], -100.0, 100.0)
var hypothesis = W * xData + b;
var cost = g.ReduceMean(g.Square(hypothesis - yData));
var train = new GradientDescentOptimizer(0.00001).Minimize(cost);

using var sess = new Session(g);
sess.Run(g.GlobalVariablesInitializer());

// The slide's '{:7} {:<20.14f} {} {}': the step, the float32 cost in 14 decimals, W and b as numpy prints them.
string Row(int step, float costValue, float w, float bias) =>
    $"{step,7} {costValue.ToString("F14", inv),-20} [{((double)w).ToString("0.########", inv)}] [{((double)bias).ToString("0.########", inv)}]";

var curveSteps = new List<double>();
var curveCost = new List<double>();
float finalCost = float.NaN, finalW = float.NaN, finalB = float.NaN;
Console.WriteLine(DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss.ffffff", inv));
lesson.Board().AddGraph(g);
var clock = Stopwatch.StartNew();
using (var bar = lesson.Progress(lesson.Steps))
{
    for (int step = 0; step < lesson.Steps; step++)
    {
        sess.Run(train);
        bool print = step % 100_000 == 0, last = step == lesson.Steps - 1;
        if (print || last || step % 1_000 == 0)
        {
            // Like the slide, the cost is read after the step's update, in a run of its own.
            float costValue = (float)sess.Run(cost);
            curveSteps.Add(step);
            curveCost.Add(costValue);
            lesson.Board().AddScalar("cost", costValue, step);
            if (print || last)
            {
                (finalCost, finalW, finalB) = (costValue, (float)sess.Run(W), (float)sess.Run(b));
                if (print) Console.WriteLine(Row(step, finalCost, finalW, finalB));
            }
        }
        lesson.Board().ProfileStep(sess, step);
        bar.Tick();
    }
}
clock.Stop();
Console.WriteLine(DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss.ffffff", inv));

double seconds = clock.Elapsed.TotalSeconds;
lesson.Measure("gradient descent wall time (s)", 418.0, Math.Round(seconds, 2));
lesson.Measure("µs per step", null, Math.Round(seconds * 1e6 / lesson.Steps, 1));

// float32 cannot take the last tiny steps to the optimum: once an update is smaller than half the
// spacing of floats around W and b, they stop moving. The slide stalls at 355.95977783203125, 0.005%
// above 355.9414; another random start usually stalls at the same W and b, sometimes nearby.
const double SlideFinalCost = 355.95977783203125;
if (lesson.FullRun)
{
    bool nearOptimum = Math.Abs(finalCost - optimumCost) <= 1e-4 * optimumCost;
    bool nearSlide = Math.Abs(finalCost - SlideFinalCost) <= 1e-4 * SlideFinalCost;
    lesson.CheckThat("final cost", SlideFinalCost, (double)finalCost,
        $"within 0.01% of the optimum {optimumCost:F4} or of the slide's", nearOptimum || nearSlide);
    lesson.Measure("final W", 0.87797189, (double)finalW);
    lesson.Measure("final b", -27.17692947, (double)finalB);
}
else
{
    lesson.Measure($"cost after {lesson.Steps:N0} steps", null, (double)finalCost);
    lesson.Skip("final cost", SlideFinalCost, "only the slide's 2,500,001 steps reach it");
}

// Pictures: the points with both lines, and the cost falling (log scale: it spans orders of magnitude).
var fit = new Plot();
fit.Add.ScatterPoints(xs, ys).LegendText = "data";
double[] ends = [0, 170];
fit.Add.ScatterLine(ends, [.. ends.Select(v => finalW * v + finalB)]).LegendText = $"gradient descent: y = {LineText(finalW, finalB)}";
var polyLine = fit.Add.ScatterLine(ends, [.. ends.Select(v => slope * v + intercept)]);
polyLine.LegendText = $"polyfit: y = {LineText(slope, intercept)}";
polyLine.LinePattern = ScottPlot.LinePattern.Dashed;
fit.Title("Linear fit: gradient descent and least squares");
fit.XLabel("x");
fit.YLabel("y");
fit.Save(lesson.OutFile("fit.png"), 800, 600);

// Below, the cost's distance from the optimum: where float32 stops improving it shows as a flat line.
var costFigure = new Multiplot(2, 1);
var costPlot = costFigure.AddPlot();
costPlot.Add.ScatterLine(curveSteps, curveCost).LegendText = "cost (every 1,000 steps)";
costPlot.Add.ScatterLine([0, Math.Max(1, curveSteps[^1])], [optimumCost, optimumCost]).LegendText = $"optimum {optimumCost:F4}";
costPlot.Axes.LogScaleY();
costPlot.Title("Linear fit: cost, gradient descent 0.00001");
costPlot.YLabel("cost (log scale)");
var excessPlot = costFigure.AddPlot();
excessPlot.Add.ScatterLine(curveSteps, [.. curveCost.Select(c => c - optimumCost)]).LegendText = "cost - optimum";
excessPlot.Axes.LogScaleY();
excessPlot.XLabel("step");
excessPlot.YLabel("above the optimum (log scale)");
costFigure.Save(lesson.OutFile("cost.png"), 800, 900);

return lesson.Finish();

static string LineText(double w, double b) =>
    $"{w.ToString("F4", CultureInfo.InvariantCulture)} x {(b < 0 ? "-" : "+")} {Math.Abs(b).ToString("F2", CultureInfo.InvariantCulture)}";

// numpy's way with a float that happens to be whole: "32." rather than "32".
static string NumpyFloat(double v) => v == Math.Floor(v) ? v.ToString("0", CultureInfo.InvariantCulture) + "." : v.ToString("0.####", CultureInfo.InvariantCulture);
