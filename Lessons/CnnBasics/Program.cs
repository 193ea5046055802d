using System.Globalization;
using GraphDL;
using GraphDL.Lessons;
using GraphDL.Plots;

// The CNN slides' arithmetic, done by the engine: the output-size exercises of seed 001, seed 000's 5x5 image
// convolved with a 3x3 filter (without and with padding), the max, average and min pooling example of
// seeds 000 and 003, and seed 001's 1x1 convolution. Nothing is trained, so there is a single "step".
var lesson = Lesson.Start("CnnBasics", args, slideSteps: 1);

// ---- 1) Convolution의 output 크기 계산하기 (seed 001) ----
Console.WriteLine();
Console.WriteLine("Output size = (input size - filter size + (2*padding)) / Stride + 1");
var exercises = new (int Height, int Width, int Filter, int Stride, int Padding, string Slide)[]
{
    (227, 227, 11, 4, 0, "55x55"),
    (64, 64, 7, 2, 0, "29x29"),    // the formula gives 29.5; see below
    (32, 32, 5, 1, 2, "32x32"),
    (32, 64, 5, 1, 0, "28x60"),
    (64, 32, 3, 1, 1, "64x32"),
};
bool helperAgrees = true;
for (int k = 0; k < exercises.Length; k++)
{
    var (height, width, filter, stride, padding, slide) = exercises[k];
    Console.WriteLine();
    Console.WriteLine($"예제 {k + 1}) input image size : {height} x {width}, filter size = {filter}x{filter}, stride = {stride}, padding = {padding}");

    // The formula as the slide writes it, in exact arithmetic.
    double formulaHeight = (height - filter + 2.0 * padding) / stride + 1;
    double formulaWidth = (width - filter + 2.0 * padding) / stride + 1;
    Console.WriteLine($"   ({height} - {filter} + 2*{padding}) / {stride} + 1 = {Number(formulaHeight)}" +
        (width == height ? "" : $",  ({width} - {filter} + 2*{padding}) / {stride} + 1 = {Number(formulaWidth)}"));

    // The engine: a Conv2D over a batch of any size infers its output shape when the graph is built ...
    var g = new Graph();
    var x = g.Placeholder(DType.Float32, new Shape(-1, height, width, 1), "x");
    var W = g.Constant(Tensor.Filled(new Shape(filter, filter, 1, 1), DType.Float32, 1), "W");
    var y = g.Conv2D(x, W, stride, padding == 0 ? Padding.Valid : Padding.Explicit(padding));
    lesson.Board($"exercise{k + 1}").AddGraph(g);
    // ... and running it on one image gives a tensor of that shape.
    using var sess = new Session(g);
    var map = sess.Run(y, new FeedDict { [x] = new Tensor(new Shape(1, height, width, 1)) });
    string ours = $"{y.Shape[1]}x{y.Shape[2]}";
    Console.WriteLine($"   Conv2D infers {y.Shape}, and computes a feature map of shape {map.Shape}: output image size = {ours}");
    helperAgrees &= map.Shape[1] == y.Shape[1] && map.Shape[2] == y.Shape[2]
        && Conv2D.OutputSize(height, filter, stride, padding) == y.Shape[1]
        && Conv2D.OutputSize(width, filter, stride, padding) == y.Shape[2];

    if (formulaHeight != Math.Floor(formulaHeight))
    {
        // 64 - 7 = 57 pixels to travel in steps of 2 is 28.5 steps: the 30th window would start at pixel 58 and
        // hang one pixel over the edge, so a VALID convolution stops at the 29th, as TF's conv2d does.
        Console.WriteLine($"   {Number(formulaHeight)} is not an integer: a {filter}x{filter} filter moved by {stride} does not tile {height} pixels " +
            $"(its last window would hang over the edge), so VALID convolution keeps only the windows that fit: {Math.Floor(formulaHeight)}.");
        lesson.Check($"exercise {k + 1}: the formula", 29.5, formulaHeight, 0);
    }
    lesson.CheckEqual($"exercise {k + 1}: {height}x{width}, {filter}x{filter} filter, stride {stride}, padding {padding}", slide, ours);
}
lesson.CheckThat("Conv2D.OutputSize and the computed maps agree with the inferred shapes", null, helperAgrees ? "yes" : "no", "all five", helperAgrees);

// ---- 2) 합성곱: the 5x5 image and the 3x3 filter of seed 000 ----
double[,] image =
{
    { 1, 1, 1, 0, 0 },
    { 0, 1, 1, 1, 0 },
    { 0, 0, 1, 1, 1 },
    { 0, 0, 1, 1, 0 },
    { 0, 1, 1, 0, 0 },
};
double[,] kernel =
{
    { 1, 0, 1 },
    { 0, 1, 0 },
    { 1, 0, 1 },
};
Console.WriteLine();
Console.WriteLine("Image (5x5):");
Console.WriteLine(Grid(image));
Console.WriteLine("Filter (3x3):");
Console.WriteLine(Grid(kernel));

// The slide slides the filter one step at a time and writes each window's sum of products into the map.
// Deep-learning "convolution" does not flip the filter (it is a cross-correlation), and neither does this.
Console.WriteLine("Each position of the filter: the sum of the products of the window and the filter");
var byHand = new double[3, 3];
for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
    {
        var products = new List<string>();
        for (int di = 0; di < 3; di++)
            for (int dj = 0; dj < 3; dj++)
            {
                byHand[i, j] += image[i + di, j + dj] * kernel[di, dj];
                products.Add($"{image[i + di, j + dj]}x{kernel[di, dj]}");
            }
        Console.WriteLine($"   ({i},{j}): {string.Join(" + ", products)} = {byHand[i, j]}");
    }

var featureMap = Convolve("convolution", image, kernel, Padding.Valid);
Console.WriteLine("Feature map (Conv2D, VALID):");
Console.WriteLine(Grid(featureMap));
lesson.CheckEqual("5x5 image * 3x3 filter", "[[4,3,4],[2,4,3],[2,3,4]]", Nested(featureMap));
lesson.CheckThat("Conv2D equals the window sums", Nested(byHand), Nested(featureMap), "exact", Nested(byHand) == Nested(featureMap));

// Padding 1: a ring of zeros around the image (the slide's 7x7 matrix), so the map keeps the image's size.
// (The slide's padded matrix ends its fourth image row with a 1; the image whose map the slide computes, and
// which it shows unpadded, has a 0 there, and that is the one padded here.)
Console.WriteLine();
Console.WriteLine("패딩(padding)을 1만큼 적용한 이미지 데이터 행렬:");
var padded = new double[7, 7];
for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) padded[i + 1, j + 1] = image[i, j];
Console.WriteLine(Grid(padded));
var paddedMap = Convolve("convolution_padding1", image, kernel, Padding.Explicit(1));
Console.WriteLine("Feature map with padding 1:");
Console.WriteLine(Grid(paddedMap));
lesson.CheckEqual("padding 1: feature map size", "5x5", $"{paddedMap.GetLength(0)}x{paddedMap.GetLength(1)}");
bool centreIsUnpadded = Enumerable.Range(0, 9).All(k => paddedMap[k / 3 + 1, k % 3 + 1] == featureMap[k / 3, k % 3]);
lesson.CheckThat("padding 1: the inner 3x3 is the unpadded map", null, centreIsUnpadded ? "yes" : "no", "exact", centreIsUnpadded);
lesson.Measure("padding 1: feature map", null, Nested(paddedMap));

// ---- 3) Pooling (seeds 000 and 003): 2x2 windows, stride 2 ----
double[,] pool =
{
    { 1, 4, 8, 3 },
    { 6, 9, 2, 1 },
    { 11, 13, 6, 7 },
    { 8, 19, 8, 2 },
};
Console.WriteLine();
Console.WriteLine("Pooling input (4x4):");
Console.WriteLine(Grid(pool));
var maxPooled = RunOnImage("max_pool", pool, (g, x) => g.MaxPool(x, poolSize: 2, stride: 2));
var averagePooled = RunOnImage("average_pool", pool, (g, x) => g.AvgPool(x, poolSize: 2, stride: 2));
// Seed 003 lists min pooling beside max and average pooling, but TF has no min pool (no tf.nn.min_pool): the smallest
// value of a window is minus the largest of its negation, so min pooling is -max_pool(-x), built from the same MaxPool.
var minPooled = RunOnImage("min_pool", pool, (g, x) => -g.MaxPool(-x, poolSize: 2, stride: 2));
Console.WriteLine("Max pooling 2x2, stride 2:");
Console.WriteLine(Grid(maxPooled));
Console.WriteLine("Average pooling 2x2, stride 2:");
Console.WriteLine(Grid(averagePooled));
Console.WriteLine("Min pooling 2x2, stride 2 (-max_pool(-x)):");
Console.WriteLine(Grid(minPooled));
lesson.CheckEqual("max pooling", "[[9,8],[19,8]]", Nested(maxPooled));
lesson.CheckEqual("average pooling", "[[5,3.5],[12.75,5.75]]", Nested(averagePooled));
// The slide names min pooling without working it out; the smallest of each window, read off the grid above:
// min(1,4,6,9) = 1, min(8,3,2,1) = 1, min(11,13,8,19) = 8, min(6,7,8,2) = 2.
lesson.CheckThat("min pooling", null, Nested(minPooled), "[[1,1],[8,2]] by hand", Nested(minPooled) == "[[1,1],[8,2]]");

// ---- 4) 1x1 convolution (seed 001, Inception): 100x100x60 through 20 filters of 1x1 ----
// Each pixel's 60 channels are mapped to 20 by the same 60x20 matrix: the image keeps its size, the depth shrinks.
// The output shape and the count come from the Keras layer itself (tf.keras.layers.Conv2D(20, 1)).
Console.WriteLine();
Console.WriteLine("1x1 conv filter를 20개 사용: 100×100×60 -> 100×100×20");
var pixels = GraphDL.Keras.Layers.Input([100, 100, 60]);
var pointwise = new GraphDL.Keras.Layers.Conv2D(20, 1, name: "conv1x1");
var reduced = pointwise.Apply(pixels);
// A functional model over the layer builds its graph, and so the layer's weights, when it is first counted.
var pointwiseModel = new GraphDL.Keras.Model(pixels, reduced);
long pointwiseTotal = pointwiseModel.CountParams();
lesson.Board("conv1x1").AddGraph(pointwiseModel.Graph);
Console.WriteLine($"   Conv2D(20, kernel_size=1) on {GraphDL.Keras.Layer.Format(pixels.Shape)}: output {GraphDL.Keras.Layer.Format(reduced.Shape)}, " +
    $"{pointwise.CountParams():N0} parameters (a kernel of shape {pointwise.Kernel.Shape} and {pointwise.Bias.Shape[0]} biases)");
lesson.CheckEqual("1x1 convolution: output of 100x100x60 through 20 filters", "100x100x20", $"{reduced.Shape[1]}x{reduced.Shape[2]}x{reduced.Shape[3]}");
lesson.CheckEqual("1x1 convolution: parameters", 1_220L, pointwise.CountParams());
lesson.CheckEqual("1x1 convolution: the model's total parameters", 1_220L, pointwiseTotal);

// ---- Pictures ----
var convolution = new Multiplot(1, 4) { Title = "Convolution: image * filter = feature map (the filter is not flipped)" };
Panel(convolution, image, "image (5x5)", new ScottPlot.Colormaps.Blues(), 0, 1);
Panel(convolution, kernel, "filter (3x3)", new ScottPlot.Colormaps.Blues(), 0, 1);
Panel(convolution, featureMap, "feature map, VALID (3x3)", new ScottPlot.Colormaps.Viridis(), 0, 4);
Panel(convolution, paddedMap, "feature map, padding 1 (5x5)", new ScottPlot.Colormaps.Viridis(), 0, 4);
convolution.Save(lesson.OutFile("convolution.png"), 1600, 460);

var pooling = new Multiplot(1, 4) { Title = "Pooling with 2x2 windows and stride 2" };
// One colour scale for the three, so a pooled cell has the colour of the value it stands for.
Panel(pooling, pool, "input (4x4)", new ScottPlot.Colormaps.Viridis(), 1, 19);
Panel(pooling, maxPooled, "max pooling", new ScottPlot.Colormaps.Viridis(), 1, 19);
Panel(pooling, averagePooled, "average pooling", new ScottPlot.Colormaps.Viridis(), 1, 19);
Panel(pooling, minPooled, "min pooling", new ScottPlot.Colormaps.Viridis(), 1, 19);
pooling.Save(lesson.OutFile("pooling.png"), 1600, 460);

return lesson.Finish();

// The 5x5 image through the engine's Conv2D, as a batch of one single-channel image.
double[,] Convolve(string run, double[,] image, double[,] kernel, Padding padding) =>
    RunOnImage(run, image, (g, x) =>
    {
        int kh = kernel.GetLength(0), kw = kernel.GetLength(1);
        var W = g.Constant(Tensor.FromArray(kernel).Reshaped(new Shape(kh, kw, 1, 1)), "W");
        return g.Conv2D(x, W, padding: padding);
    });

// Runs an op on a (height, width) matrix viewed as one single-channel NHWC image and returns the result's plane;
// its graph goes to the board under the run name given.
double[,] RunOnImage(string run, double[,] plane, Func<Graph, Output, Output> build)
{
    var g = new Graph();
    int height = plane.GetLength(0), width = plane.GetLength(1);
    var x = g.Placeholder(DType.Float64, new Shape(1, height, width, 1), "x");
    var y = build(g, x);
    lesson.Board(run).AddGraph(g);
    using var sess = new Session(g);
    var result = sess.Run(y, new FeedDict { [x] = Tensor.FromArray(plane).Reshaped(new Shape(1, height, width, 1)) });
    return result.Reshaped(new Shape(result.Shape[1], result.Shape[2])).ToArray2D<double>();
}

static string Number(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

// A matrix as the slides draw it: one row a line, numbers aligned.
static string Grid(double[,] m)
{
    int width = Enumerable.Range(0, m.Length).Max(k => Number(m[k / m.GetLength(1), k % m.GetLength(1)]).Length);
    return string.Join("\n", Enumerable.Range(0, m.GetLength(0)).Select(i =>
        "   " + string.Join("  ", Enumerable.Range(0, m.GetLength(1)).Select(j => Number(m[i, j]).PadLeft(width)))));
}

// A matrix on one line, for checks: [[4,3,4],[2,4,3],[2,3,4]].
static string Nested(double[,] m) =>
    "[" + string.Join(",", Enumerable.Range(0, m.GetLength(0)).Select(i =>
        "[" + string.Join(",", Enumerable.Range(0, m.GetLength(1)).Select(j => Number(m[i, j]))) + "]")) + "]";

static void Panel(Multiplot figure, double[,] values, string title, ScottPlot.IColormap colormap, double min, double max)
{
    var plot = figure.AddPlot();
    var map = plot.Add.Heatmap(values, colormap);
    map.Min = min;
    map.Max = max;
    map.ShowValues = true;
    map.ValueFormat = "0.##";
    plot.Title(title);
}
