using System.Globalization;
using GraphDL;
using GraphDL.Lessons;
using GraphDL.Plots;

var lesson = Lesson.Start("TimeSeriesRnn", args, slideSteps: 1000);

// The slide predicts a series such as a stock price; with no data shipped, we generate ours: each series is two
// sine waves of random frequency and phase plus noise, sampled at nSteps + 1 points. The RNN reads the first
// nSteps values and predicts the next one.
const int nSteps = 30, trainCount = 2000, testCount = 500, batchSize = 50, hiddenSize = 20;
const double noise = 0.1;
var rng = new Random(lesson.Seed);

float[] Wave(int length, double offset1, double offset2, double freq1, double freq2)
{
    var v = new float[length];
    for (int k = 0; k < length; k++)
    {
        double t = (double)k / nSteps;   // nSteps + 1 points span t in [0, 1]
        v[k] = (float)(0.5 * Math.Sin((t - offset1) * (freq1 * 10 + 10))
                     + 0.2 * Math.Sin((t - offset2) * (freq2 * 20 + 20))
                     + noise * (rng.NextDouble() - 0.5));
    }
    return v;
}
float[] RandomWave(int length) => Wave(length, rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), rng.NextDouble());

(Tensor X, Tensor Y, float[][] Series) MakeSet(int count)
{
    var series = Enumerable.Range(0, count).Select(_ => RandomWave(nSteps + 1)).ToArray();
    var x = new float[count * nSteps];
    var y = new float[count];
    for (int i = 0; i < count; i++)
    {
        Array.Copy(series[i], 0, x, i * nSteps, nSteps);
        y[i] = series[i][nSteps];
    }
    return (Tensor.FromFlat(x, new Shape(count, nSteps, 1)), Tensor.FromFlat(y, new Shape(count, 1)), series);
}
var (trainX, trainY, trainSeries) = MakeSet(trainCount);
var (testX, testY, testSeries) = MakeSet(testCount);
Console.WriteLine($"train X {trainX.Shape}, y {trainY.Shape}; test X {testX.Shape}, y {testY.Shape}");

// The baseline any forecast must beat: tomorrow is like today.
double naiveMse = testSeries.Average(s => Math.Pow(s[nSteps] - s[nSteps - 1], 2));
Console.WriteLine($"naive forecast (the last value) test MSE: {naiveMse:F5}");

// A simple RNN of 20 units unrolled over the 30 steps; its last h goes through one linear unit.
var g = new Graph { Seed = lesson.Seed };
var X = g.Placeholder(DType.Float32, new Shape(-1, nSteps, 1), "X");
var y = g.Placeholder(DType.Float32, new Shape(-1, 1), "y");
var cell = new SimpleRnnCell(hiddenSize);
var (outputs, state) = g.StaticRnn(cell, X);
var W = g.Variable(Init.GlorotUniform([hiddenSize, 1]), "W");
var b = g.Variable(Init.Zeros(1), "b");
var prediction = g.MatMul(outputs[^1], W) + b;
var loss = g.ReduceMean(g.Square(prediction - y));   // MSE
var train = new AdamOptimizer(0.005).Minimize(loss);
Console.WriteLine($"{cell.Weights.Sum(w => w.Shape.Size)} RNN parameters (W_xh {cell.Kernel.Shape}, W_hh {cell.RecurrentKernel.Shape}, b {cell.Bias.Shape}) + 21 output; {g.Nodes.Count} graph nodes");

using var sess = new Session(g);
sess.Run(g.GlobalVariablesInitializer());
var testFeed = new FeedDict { [X] = testX, [y] = testY };

lesson.Board("train").AddGraph(g);
var trainCurve = new List<(double Step, double Mse)>();
var testCurve = new List<(double Step, double Mse)>();
var batchX = new Tensor(new Shape(batchSize, nSteps, 1));
var batchY = new Tensor(new Shape(batchSize, 1));
using (var bar = lesson.Progress(lesson.Steps))
{
    for (int step = 0; step < lesson.Steps; step++)
    {
        // Minibatches drawn at random from the training series.
        for (int n = 0; n < batchSize; n++)
        {
            int i = rng.Next(trainCount);
            trainX.Span<float>().Slice(i * nSteps, nSteps).CopyTo(batchX.Span<float>().Slice(n * nSteps, nSteps));
            batchY.Span<float>()[n] = trainY.Span<float>()[i];
        }
        float trainMse = (float)sess.Run([train, loss], new FeedDict { [X] = batchX, [y] = batchY })[1];
        trainCurve.Add((step, trainMse));
        lesson.Board("train").AddScalar("mse", trainMse, step);
        if (step % 25 == 0 || step == lesson.Steps - 1)
        {
            float testMse = (float)sess.Run(loss, testFeed);
            testCurve.Add((step, testMse));
            lesson.Board("test").AddScalar("mse", testMse, step);
            if (step % 100 == 0 || step == lesson.Steps - 1)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,5}\tMSE: {1:F5}\ttest MSE: {2:F5}", step, trainMse, testMse));
        }
        lesson.Board("train").ProfileStep(sess, step);
        bar.Tick();
    }
}

double rnnMse = (float)sess.Run(loss, testFeed);
double ratio = rnnMse / naiveMse;
Console.WriteLine($"test MSE: RNN {rnnMse:F5}, last value {naiveMse:F5}, ratio {ratio:F3}");
Console.WriteLine($"noise alone: uniform ±{noise / 2} has variance {noise * noise / 12:F5}, the floor no forecast goes below");
lesson.Measure("naive (last value) test MSE", null, naiveMse);
lesson.Measure("RNN test MSE", null, rnnMse);
// "Well below": a quarter of the naive forecast's error or less.
if (lesson.FullRun) lesson.CheckAtMost("RNN / naive test MSE", null, ratio, 0.25);
else lesson.Measure("RNN / naive test MSE", null, ratio);

// One longer wave, predicted one step ahead from each window of 30 values it contains.
var longWave = RandomWave(nSteps + 120);
var windows = new float[120 * nSteps];
for (int k = 0; k < 120; k++) Array.Copy(longWave, k, windows, k * nSteps, nSteps);
var rolling = sess.Run(prediction, new FeedDict { [X] = Tensor.FromFlat(windows, new Shape(120, nSteps, 1)) }).ToDoubles();
var truthTimes = Enumerable.Range(0, longWave.Length).Select(k => (double)k).ToArray();
var predictedTimes = Enumerable.Range(nSteps, 120).Select(k => (double)k).ToArray();

var figure = new Multiplot(1, 2) { Title = "TimeSeriesRnn: SimpleRNN(20) over 30 steps, next-value forecast" };
var wave = figure.AddPlot();
wave.Add.ScatterLine(truthTimes, [.. longWave.Select(v => (double)v)]).LegendText = "truth";
var lastValue = wave.Add.ScatterPoints(predictedTimes, [.. predictedTimes.Select(t => (double)longWave[(int)t - 1])]);
lastValue.LegendText = "last value";
lastValue.MarkerSize = 4;
var forecast = wave.Add.ScatterPoints(predictedTimes, rolling);
forecast.LegendText = "RNN, one step ahead";
forecast.MarkerSize = 7;
wave.Title("a new wave: prediction vs truth");
wave.XLabel("time step");
var scatter = figure.AddPlot();
var testPredictions = sess.Run(prediction, testFeed).ToDoubles();
var testTruth = testY.ToDoubles();
scatter.Add.ScatterPoints(testTruth, testPredictions).LegendText = $"RNN, MSE {rnnMse:F4}";
scatter.Add.ScatterLine([-1, 1], [-1, 1]).LegendText = "perfect";
scatter.Title($"{testCount} test series: predicted vs true next value");
scatter.XLabel("true");
scatter.YLabel("predicted");
figure.Save(lesson.OutFile("prediction.png"), 1400, 600);

var curves = new Plot();
curves.Add.ScatterLine([.. trainCurve.Select(p => p.Step)], [.. trainCurve.Select(p => p.Mse)]).LegendText = "train minibatch MSE";
curves.Add.ScatterLine([.. testCurve.Select(p => p.Step)], [.. testCurve.Select(p => p.Mse)]).LegendText = "test MSE";
curves.Add.ScatterLine([0, lesson.Steps - 1], [naiveMse, naiveMse]).LegendText = "last-value forecast";
curves.Axes.LogScaleY();
curves.Title("TimeSeriesRnn: mean squared error, Adam 0.005");
curves.XLabel("step");
curves.YLabel("MSE");
curves.Save(lesson.OutFile("loss.png"), 800, 600);

return lesson.Finish();
