// Seed 001, "Softmax-with-Loss 노드": softmax followed by cross entropy,
//     y_k = exp(a_k) / Σ_i exp(a_i),    L = -Σ_k t_k log y_k,
// whose backward pass is simply y - t. The slide's numpy computes it by hand:
//     p = np.exp(a) / np.sum(np.exp(a)); da = np.copy(p); da[target] -= 1
// Here the same gradient comes three more ways, all of which must equal y - t: from the fused
// SoftmaxCrossEntropyWithLogits node, from the graph composed of softmax, log, mul and sum, and from
// a numerical central difference. Then logits like [1000, 0, -1000] show why the fused node exists.
using System.Globalization;
using GraphDL;
using GraphDL.Lessons;

var lesson = Lesson.Start("SoftmaxWithLoss", args, slideSteps: 1);

// Float64, so that the numerical gradient below has digits to spare.
var g = new Graph { Seed = lesson.Seed };
var a = g.Placeholder(DType.Float64, new Shape(-1, 3), "a");          // the node's input: logits, one row per example
var t = g.Placeholder(DType.Float64, new Shape(-1, 3), "t");          // one-hot target

// The fused node: one op for the whole of softmax-with-loss, and one gradient, softmax(a) - t.
var fusedLoss = g.ReduceSum(g.SoftmaxCrossEntropyWithLogits(labels: t, logits: a));
var fusedDa = g.Gradients([fusedLoss], [a])[0]!.Value;

// The same loss composed of its parts; backpropagation walks back through sum, mul, log and softmax.
var y = g.Softmax(a);
var composedLoss = -g.ReduceSum(t * g.Log(y));
var composedDa = g.Gradients([composedLoss], [a])[0]!.Value;

using var sess = new Session(g);

// ---- The slide's kind of example: three classes, the answer is the third (t3) ----
double[] logits = [0.3, 2.9, 4.0];
int target = 2;
double[] oneHot = [0, 0, 1];
Console.WriteLine($"a = {NumPy(logits)}, target = {target}");
Console.WriteLine();

// The slide's numpy, line by line, in plain C#: the reference every gradient is compared with.
double sumExp = logits.Sum(Math.Exp);
double[] p = [.. logits.Select(v => Math.Exp(v) / sumExp)];
double[] da = [.. p];
da[target] -= 1;
Console.WriteLine($"p = np.exp(a) / np.sum(np.exp(a))   # {NumPy(p)}");
Console.WriteLine($"da = np.copy(p); da[target] -= 1    # {NumPy(da)}   (y - t)");
Console.WriteLine();

var feed = Feed(logits, oneHot);
var r = sess.Run([fusedLoss, composedLoss, fusedDa, composedDa], feed);
double fused = (double)r[0], composed = (double)r[1];
double[] fusedGrad = r[2].ToDoubles(), composedGrad = r[3].ToDoubles();

// The numerical gradient of the composed loss, one logit at a time: (L(a + eps e_k) - L(a - eps e_k)) / (2 eps).
const double Eps = 1e-6;
double Loss(double[] at) => (double)sess.Run(composedLoss, Feed(at, oneHot));
double[] numericalGrad = [.. Enumerable.Range(0, logits.Length).Select(k =>
{
    double[] plus = [.. logits], minus = [.. logits];
    plus[k] += Eps;
    minus[k] -= Eps;
    return (Loss(plus) - Loss(minus)) / (2 * Eps);
})];

Console.WriteLine($"L (fused SoftmaxCrossEntropyWithLogits)  = {Python(fused)}");
Console.WriteLine($"L (softmax, log, mul, sum)               = {Python(composed)}");
Console.WriteLine($"-np.log(p[target])                       = {Python(-Math.Log(p[target]))}");
Console.WriteLine();
Console.WriteLine($"dL/da, fused node        {NumPy(fusedGrad)}");
Console.WriteLine($"dL/da, composed graph    {NumPy(composedGrad)}");
Console.WriteLine($"dL/da, numerical         {NumPy(numericalGrad)}");
Console.WriteLine($"y - t (the slide's da)   {NumPy(da)}");
Console.WriteLine($"largest gap to y - t:    fused {WorstGap(fusedGrad, da):G3}, composed {WorstGap(composedGrad, da):G3}, numerical {WorstGap(numericalGrad, da):G3}");

// Tolerances. The two graph gradients are exact formulas in float64 and may differ from y - t only by
// rounding (a few ulps, ~1e-16 for values below 1): 1e-12. The central difference with eps = 1e-6 carries
// a rounding error of about k·u·|L|/eps ≈ 1e-10·k·0.3 for a loss accurate to k ulps (k up to ~100 here), and
// a truncation error eps²/6·|L'''| ≈ 1e-13 (softmax's derivatives are bounded by small constants): 1e-8.
static double WorstGap(double[] ours, double[] slide) => ours.Select((v, i) => Math.Abs(v - slide[i])).Max();
lesson.Check("L = -log y_target (fused node)", -Math.Log(p[target]), fused, 1e-12);
lesson.Check("L = -log y_target (composed graph)", -Math.Log(p[target]), composed, 1e-12);
lesson.CheckThat("dL/da of the fused node = y - t", NumPy(da), NumPy(fusedGrad), "each within 1e-12", WorstGap(fusedGrad, da) <= 1e-12);
lesson.CheckThat("dL/da of the composed graph = y - t", NumPy(da), NumPy(composedGrad), "each within 1e-12", WorstGap(composedGrad, da) <= 1e-12);
lesson.CheckThat("numerical dL/da = y - t", NumPy(da), NumPy(numericalGrad), "each within 1e-8", WorstGap(numericalGrad, da) <= 1e-8);

// ---- Why the fused node exists: large logits ----
double[] large = [1000, 0, -1000];
Console.WriteLine();
Console.WriteLine($"a = {NumPy(large)}, target = {target}");
double largeSumExp = large.Sum(Math.Exp);                              // exp(1000) overflows to inf
double[] naiveP = [.. large.Select(v => Math.Exp(v) / largeSumExp)];  // inf / inf = NaN
Console.WriteLine($"p = np.exp(a) / np.sum(np.exp(a))   # {NumPy(naiveP)}");

var big = sess.Run([fusedLoss, composedLoss, fusedDa, composedDa, y], Feed(large, oneHot));
double bigFused = (double)big[0], bigComposed = (double)big[1];
double[] bigFusedGrad = big[2].ToDoubles(), bigComposedGrad = big[3].ToDoubles();
// Even a softmax that subtracts the largest logit first cannot help the composed form: y = [1, e^-1000, e^-2000]
// underflows to [1, 0, 0], log 0 = -inf, and 0 · (-inf) = NaN. The fused node never forms log y:
// L = logsumexp(a) - a_target = 1000 - (-1000) = 2000, and its gradient y - t = [1, 0, -1].
Console.WriteLine($"softmax(a)                          # {NumPy(big[4].ToDoubles())}");
Console.WriteLine($"L (softmax, log, mul, sum)               = {Python(bigComposed)}   dL/da = {NumPy(bigComposedGrad)}");
Console.WriteLine($"L (fused SoftmaxCrossEntropyWithLogits)  = {Python(bigFused)}   dL/da = {NumPy(bigFusedGrad)}");

lesson.CheckThat("naive softmax exp(a) / sum exp(a) of [1000, 0, -1000]", "[nan  0.  0.]", NumPy(naiveP), "not finite", !naiveP.All(double.IsFinite));
lesson.CheckThat("composed loss at [1000, 0, -1000]", "nan or inf", Python(bigComposed), "not finite", !double.IsFinite(bigComposed));
lesson.Check("fused loss at [1000, 0, -1000]", 2000, bigFused, 1e-9);
lesson.CheckThat("fused dL/da at [1000, 0, -1000] = y - t", NumPy([1, 0, -1]), NumPy(bigFusedGrad),
    "each within 1e-12", WorstGap(bigFusedGrad, [1, 0, -1]) <= 1e-12);

// For the board: the fused node and the composed graph side by side, each with its gradient nodes.
lesson.Board().AddGraph(g);

return lesson.Finish();

FeedDict Feed(double[] logitsRow, double[] targetRow) => new()
{
    [a] = Tensor.FromFlat(logitsRow, new Shape(1, 3)),
    [t] = Tensor.FromFlat(targetRow, new Shape(1, 3)),
};

// numpy's way of printing a float vector, so the output reads like the slide's notebook: at most 8 decimals,
// trailing zeros dropped ("4." and "0.3"), the points lined up, every element padded to a common width:
// [ 1000.     0. -1000.], [nan  0.  0.]
static string NumPy(double[] values)
{
    // "0.3" -> ["0", "3"], "4" -> ["4", ""]: the integer part and the decimals, rounded to 8 places.
    static string[] Parts(double v) => (Math.Round(v, 8).ToString("0.########", CultureInfo.InvariantCulture) + ".").Split('.');
    var finite = values.Where(double.IsFinite).Select(Parts).ToList();
    int integerWidth = finite.Select(part => part[0].Length).DefaultIfEmpty(0).Max();
    int fractionWidth = finite.Select(part => part[1].Length).DefaultIfEmpty(0).Max();
    var texts = values.Select(v => double.IsNaN(v) ? "nan"
        : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf")
        : Parts(v)[0].PadLeft(integerWidth) + "." + Parts(v)[1].PadRight(fractionWidth)).ToList();
    int width = texts.Max(text => text.Length);
    return "[" + string.Join(" ", texts.Select(text => text.PadLeft(width))) + "]";
}

// Python's print of a float: 2000.0, 0.30571446481245207, nan.
static string Python(double v)
{
    if (double.IsNaN(v)) return "nan";
    if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
    string text = v.ToString("R", CultureInfo.InvariantCulture);
    return text.Contains('.') || text.Contains('E') ? text : text + ".0";
}
