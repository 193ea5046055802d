// Seeds 001 and 002: derivatives by hand, by the seed's numerical formula, and by the graph.
// Seed 002's notebook defines derivative(f, z, eps) as a central difference; seed 001 works out
// d/dx of x, 2x, 3, xy, x + y and three chain-rule exercises. Here every one of them is built as a
// graph, g.Gradients adds its symbolic derivative as new graph nodes, and the three answers (numerical,
// symbolic, the slide's closed form) are printed side by side.
using System.Globalization;
using GraphDL;
using GraphDL.Lessons;
using GraphDL.Plots;

var lesson = Lesson.Start("Derivatives", args, slideSteps: 1);

// Float64 throughout: the central difference below divides a difference of nearly equal numbers by
// 2e-6, which float32's 7 digits cannot survive.
var g = new Graph { Seed = lesson.Seed };
var x = g.Placeholder(DType.Float64, Shape.Scalar, "x");
var y = g.Placeholder(DType.Float64, Shape.Scalar, "y");
Output Pow(Output a, double n) => g.Pow(a, g.ScalarLike(n, a));

// The seed's functions, one graph each, in the slide's order.
var fX = x;                                                           // f(x) = x
var f2X = 2.0 * x;                                                    // f(x) = 2x
var f3 = g.Constant(3.0, Shape.Scalar, DType.Float64, "three");       // f(x) = 3
var fXY = x * y;                                                      // f(x, y) = xy
var fXPlusY = x + y;                                                  // f(x, y) = x + y
var fSin5 = Pow(g.Sin(x) - 1.0, 5);                                   // (sin x - 1)^5
var fPoly8 = Pow(Pow(x, 7) - 6.0 * Pow(x, 3) + 1.0, 8);               // (x^7 - 6x^3 + 1)^8
var fSin3 = Pow(g.Sin(g.Square(x) - 1.0), 3);                         // sin^3(x^2 - 1)

// Each row: the function, the variable it is differentiated by, the slide's answer and that answer as code.
// f(x) = 3 does not depend on x at all, so its gradient has no path to follow: unconnectedZeros makes it 0.
(double X, double Y)[] xPoints = [(-1.2, 0), (0.5, 0), (2.0, 0)];       // y is not used by these
(double X, double Y)[] xyPoints = [(3.0, -2.0), (-1.2, 0.5)];
var rows = new (string Name, Output F, Output Wrt, string Slide, Func<double, double, double> ClosedForm, (double X, double Y)[] At)[]
{
    ("d/dx x",                  fX,      x, "1", (_, _) => 1,   xPoints),
    ("d/dx 2x",                 f2X,     x, "2", (_, _) => 2,   xPoints),
    ("d/dx 3",                  f3,      x, "0", (_, _) => 0,   xPoints),
    ("d/dx xy",                 fXY,     x, "y", (_, yv) => yv, xyPoints),
    ("d/dy xy",                 fXY,     y, "x", (xv, _) => xv, xyPoints),
    ("d/dx (x + y)",            fXPlusY, x, "1", (_, _) => 1,   xyPoints),
    ("d/dy (x + y)",            fXPlusY, y, "1", (_, _) => 1,   xyPoints),
    ("d/dx (sin x - 1)^5",      fSin5,   x, "5 cos x (sin x - 1)^4",
        (xv, _) => 5 * Math.Cos(xv) * Math.Pow(Math.Sin(xv) - 1, 4), xPoints),
    ("d/dx (x^7 - 6x^3 + 1)^8", fPoly8,  x, "8 (7x^6 - 18x^2)(x^7 - 6x^3 + 1)^7",
        (xv, _) => 8 * (7 * Math.Pow(xv, 6) - 18 * xv * xv) * Math.Pow(Math.Pow(xv, 7) - 6 * Math.Pow(xv, 3) + 1, 7), xPoints),
    ("d/dx sin^3(x^2 - 1)",     fSin3,   x, "6x cos(x^2 - 1) sin^2(x^2 - 1)",
        (xv, _) => 6 * xv * Math.Cos(xv * xv - 1) * Math.Pow(Math.Sin(xv * xv - 1), 2), xPoints),
};

// The symbolic derivatives: new nodes in the same graph, evaluated like any other node.
var symbolic = rows.Select(r => g.Gradients([r.F], [r.Wrt], unconnectedZeros: true)[0]!.Value).ToArray();

using var sess = new Session(g);
double Eval(Output node, double atX, double atY) =>
    (double)sess.Run(node, new FeedDict { [x] = atX, [y] = atY });

// Seed 002's notebook, word for word: derivative(f, z, eps=0.000001) = (f(z + eps) - f(z - eps)) / (2 * eps).
static double Derivative(Func<double, double> f, double z, double eps = 0.000001) => (f(z + eps) - f(z - eps)) / (2 * eps);

// How close is close enough. With eps = 1e-6 in float64 (unit roundoff u = 1.1e-16) the central difference
// is off by its truncation error, eps²/6·|f'''| ≈ 1.7e-13·|f'''|, plus the rounding of f(z ± eps) divided by
// 2·eps, ≈ k·u·|f|/eps ≈ 1e-10·k·|f| for an evaluation accurate to k ulps. Measured against the size of the
// problem, scale = max(|f(z)|, |f'(z)|), both stay below 1e-8 for these functions at these points (k up to
// ~100 ulps for the composed ones, |f'''| up to ~1e4·scale for the degree-56 polynomial), so 1e-7 of the scale
// leaves a margin of ten, while a real mistake — a dropped factor, a wrong sign — is wrong by order 1.
// The graph's gradient and the closed form are both exact formulas evaluated in float64; they differ only by
// rounding, a few ulps (1e-15 of the scale), so they must agree to 1e-12.
const double NumericalTolerance = 1e-7;
const double SymbolicTolerance = 1e-12;

Console.WriteLine();
Console.WriteLine("derivative(f, z, eps=0.000001) = (f(z + eps) - f(z - eps)) / (2 * eps)   next to   g.Gradients([f], [x])");
Console.WriteLine();
Console.WriteLine($"{"function",-26} {"at",-16} {"derivative(f, z)",22} {"g.Gradients",22} {"slide (closed form)",22}");
for (int i = 0; i < rows.Length; i++)
{
    var row = rows[i];
    bool byX = row.Wrt == x;
    double worstNumerical = 0, worstSymbolic = 0;
    foreach (var (atX, atY) in row.At)
    {
        double numerical = byX
            ? Derivative(z => Eval(row.F, z, atY), atX)
            : Derivative(z => Eval(row.F, atX, z), atY);
        double ours = Eval(symbolic[i], atX, atY);
        double slide = row.ClosedForm(atX, atY);
        double scale = Math.Max(Math.Abs(Eval(row.F, atX, atY)), Math.Abs(slide));
        worstNumerical = Math.Max(worstNumerical, Math.Abs(numerical - slide) / scale);
        worstSymbolic = Math.Max(worstSymbolic, Math.Abs(ours - slide) / scale);
        string at = row.At == xyPoints ? $"x={atX}, y={atY}" : $"x={atX}";
        Console.WriteLine($"{row.Name,-26} {at,-16} {G(numerical),22} {G(ours),22} {G(slide),22}");
    }
    string points = row.At == xyPoints
        ? "(x, y) = " + string.Join(", ", row.At.Select(p => $"({p.X}, {p.Y})"))
        : "x = " + string.Join(", ", row.At.Select(p => p.X));
    lesson.CheckThat($"{row.Name}: derivative(f, z) worst relative error", row.Slide, worstNumerical,
        $"<= {NumericalTolerance:0e0} at {points}", worstNumerical <= NumericalTolerance);
    lesson.CheckThat($"{row.Name}: g.Gradients worst relative error", row.Slide, worstSymbolic,
        $"<= {SymbolicTolerance:0e0} at {points}", worstSymbolic <= SymbolicTolerance);
}
static string G(double v) => v.ToString("G14", CultureInfo.InvariantCulture);

// ---- The activation functions of seeds 000 and 004, and their derivatives from the graph ----
// The gradient of sum(f(z)) with respect to z is f'(z) element by element, because each output depends
// only on its own input: one Gradients call gives the whole derivative curve.
var zs = Enumerable.Range(0, 201).Select(i => -5 + i * 0.05).ToArray();
var zAxis = g.Placeholder(DType.Float64, new Shape(-1), "z");
var activations = new (string Name, Output F)[]
{
    ("sigmoid", g.Sigmoid(zAxis)),
    ("tanh", g.Tanh(zAxis)),
    ("ReLU", g.Relu(zAxis)),
    ("leaky ReLU (0.2)", g.LeakyRelu(zAxis, 0.2)),
    ("binary step", g.Step(zAxis)),
    ("gaussian exp(-z^2)", g.Exp(-g.Square(zAxis))),
};
var slopes = activations.Select(act => g.Gradients([act.F], [zAxis])[0]!.Value).ToArray();
var zFeed = new FeedDict { [zAxis] = zs };
var curves = sess.Run([.. activations.Select(act => (Fetch)act.F), .. slopes.Select(s => (Fetch)s)], zFeed);
double[] Curve(int i) => curves[i].ToDoubles();
double[] Slope(int i) => curves[activations.Length + i].ToDoubles();

// The textbook derivatives the graph's gradients must reproduce: σ' = σ(1 - σ), tanh' = 1 - tanh², (e^{-z²})' = -2z e^{-z²}.
double WorstGap(double[] ours, Func<double, double> expected) => ours.Select((v, i) => Math.Abs(v - expected(zs[i]))).Max();
double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
lesson.Check("sigmoid' = sigmoid (1 - sigmoid), worst gap on [-5, 5]", 0, WorstGap(Slope(0), v => Sigmoid(v) * (1 - Sigmoid(v))), SymbolicTolerance);
lesson.Check("tanh' = 1 - tanh^2, worst gap on [-5, 5]", 0, WorstGap(Slope(1), v => 1 - Math.Tanh(v) * Math.Tanh(v)), SymbolicTolerance);
lesson.Check("gaussian' = -2z exp(-z^2), worst gap on [-5, 5]", 0, WorstGap(Slope(5), v => -2 * v * Math.Exp(-v * v)), SymbolicTolerance);

// ---- Softmax of a small vector (seed 002: φ(z)_i = e^{z_i} / Σ_j e^{z_j}) ----
double[] logits = [2.0, 1.0, 0.1];
var a = g.Placeholder(DType.Float64, new Shape(-1), "a");
var softmax = g.Softmax(a);
double[] probabilities = sess.Run(softmax, new FeedDict { [a] = logits }).ToDoubles();
Console.WriteLine();
Console.WriteLine($"softmax({Show.Array(logits, 1)}) = {Show.Array(probabilities)}");
double sumOfExp = logits.Sum(Math.Exp);
lesson.Check("softmax([2, 1, 0.1]) sums to", 1, probabilities.Sum(), SymbolicTolerance);
lesson.Check("softmax([2, 1, 0.1]) worst gap to exp(a_i) / sum exp(a)", 0,
    probabilities.Select((p, i) => Math.Abs(p - Math.Exp(logits[i]) / sumOfExp)).Max(), SymbolicTolerance);

// ---- Pictures ----

// One panel per activation, the function solid and its derivative dashed, as in the seeds' pictures.
var figure = new Multiplot(2, 3) { Title = "Activation functions (solid) and their derivatives from g.Gradients (dashed)" };
for (int i = 0; i < activations.Length; i++)
{
    var panel = figure.AddPlot();
    panel.Add.ScatterLine(zs, Curve(i)).LegendText = activations[i].Name;
    var slope = panel.Add.ScatterLine(zs, Slope(i));
    // The step's graph gradient is 0 everywhere; at z = 0 the true derivative does not exist.
    slope.LegendText = activations[i].F.Node.Op is Step ? "derivative (0; none at z = 0)" : "derivative";
    slope.LinePattern = ScottPlot.LinePattern.Dashed;
    panel.Title(activations[i].Name);
    panel.XLabel("z");
    panel.ShowLegend(ScottPlot.Alignment.UpperLeft);
}
figure.Save(lesson.OutFile("activations.png"), 1500, 900);

var softmaxFigure = new Multiplot(1, 2) { Title = "Softmax of a small vector" };
var logitsPanel = softmaxFigure.AddPlot();
logitsPanel.Add.Bars(["a1", "a2", "a3"], logits);
logitsPanel.Title("input a = [2.0 1.0 0.1]");
var softmaxPanel = softmaxFigure.AddPlot();
softmaxPanel.Add.Bars(["y1", "y2", "y3"], probabilities);
softmaxPanel.Title($"softmax(a) = {Show.Array(probabilities, 3)}");
softmaxPanel.Axes.SetLimitsY(0, 1);
softmaxFigure.Save(lesson.OutFile("softmax.png"), 1000, 450);

// For the board: every function of the lesson and its gradient nodes, in one graph.
lesson.Board().AddGraph(g);

return lesson.Finish();
