using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.Data;
using GraphDL.Lessons;
using GraphDL.Plots;

// Seed 000's "모델 구성(과적합 방지)" puts Dropout(0.3), Dropout(0.5) and Dropout(0.2) after its three hidden
// layers. Its churn table is not shipped, so here a network learns MNIST digits from only 1,000
// training images, where memorising is easy: once without dropout and once with it, from the same
// initial weights on the same batches, with adam as in the seed.
//
// Measured first: with the seed's own 128-64-32 network and rates, dropout made no difference to the
// gap between training and validation accuracy (0.132 without vs 0.132 with, 0.141 vs 0.142, 0.129
// vs 0.144 for seeds 1 to 3), and on only 300 images neither did the wider network below (0.203 vs
// 0.201), as Srivastava et al. (2014) found for training sets of a few hundred examples. Dropout pays
// on wide layers, so this network has two hidden layers of 256 ReLUs with the rates of that paper:
// each input pixel kept with probability 0.8, each hidden unit with 0.5. The keep probabilities are placeholders, as in TF1: fed 0.8 and 0.5
// while the dropout network trains, 1.0 whenever accuracy is measured and while the plain one trains.
// --steps counts epochs: passes over the 1,000 images in batches of 50.
var lesson = Lesson.Start("Dropout", args, slideSteps: 60);

const int trainingImages = 1_000;
const int validationImages = 2_000;
const int batchSize = 50;
var mnist = Mnist.Load(lesson.DataDir, Console.WriteLine, seed: lesson.Seed);
var (trainXs, trainYs) = mnist.Train.Rows(0, trainingImages);
var (validationXs, validationYs) = mnist.Test.Rows(0, validationImages);
Console.WriteLine($"{trainingImages} training images, {validationImages:N0} validation images (the first test images), {lesson.Steps} epochs of {trainingImages / batchSize} batches");

var plain = Train("no dropout", inputKeep: 1f, hiddenKeep: 1f, run: "no_dropout");
var dropout = Train("dropout (input 0.2, hidden 0.5)", inputKeep: 0.8f, hiddenKeep: 0.5f, run: "dropout");

// Overfitting shows as the distance between what the network scores on the images it trained on and
// on images it never saw. Averaged over the last 10 epochs, so one lucky epoch does not decide it.
double plainGap = plain.Gap(), dropoutGap = dropout.Gap();
Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
    "last 10 epochs: no dropout train {0:F4} validation {1:F4} gap {2:F4};  dropout train {3:F4} validation {4:F4} gap {5:F4}",
    plain.Last(plain.TrainAccuracy), plain.Last(plain.ValidationAccuracy), plainGap,
    dropout.Last(dropout.TrainAccuracy), dropout.Last(dropout.ValidationAccuracy), dropoutGap));
lesson.Measure("no dropout: train - validation accuracy (last 10 epochs)", null, Math.Round(plainGap, 4));
lesson.Measure("dropout: train - validation accuracy (last 10 epochs)", null, Math.Round(dropoutGap, 4));
lesson.Measure("no dropout: validation accuracy (last 10 epochs)", null, Math.Round(plain.Last(plain.ValidationAccuracy), 4));
lesson.Measure("dropout: validation accuracy (last 10 epochs)", null, Math.Round(dropout.Last(dropout.ValidationAccuracy), 4));
lesson.Measure("no dropout: validation loss (last 10 epochs)", null, Math.Round(plain.Last(plain.ValidationLoss), 4));
lesson.Measure("dropout: validation loss (last 10 epochs)", null, Math.Round(dropout.Last(dropout.ValidationLoss), 4));
if (lesson.FullRun)
{
    // Without dropout the 1,000 images are learnt by heart...
    lesson.CheckAtLeast("no dropout: train accuracy (last 10 epochs)", null, plain.Last(plain.TrainAccuracy), 0.995);
    // ...and dropout narrows the gap: the point of the slide.
    lesson.CheckThat("train - validation gap, no dropout vs dropout", null,
        string.Format(CultureInfo.InvariantCulture, "{0:F4} vs {1:F4}", plainGap, dropoutGap), "no dropout's gap is larger", plainGap > dropoutGap);
    // The plain network grows ever surer of its wrong answers on new images; dropout holds that back.
    double plainValidationLoss = plain.Last(plain.ValidationLoss), dropoutValidationLoss = dropout.Last(dropout.ValidationLoss);
    lesson.CheckThat("validation loss, no dropout vs dropout", null,
        string.Format(CultureInfo.InvariantCulture, "{0:F4} vs {1:F4}", plainValidationLoss, dropoutValidationLoss), "dropout's is lower", dropoutValidationLoss < plainValidationLoss);
}
else
{
    lesson.Skip("no dropout: train accuracy (last 10 epochs)", ">= 0.995", $"only the full {lesson.SlideSteps} epochs overfit");
    lesson.Skip("train - validation gap, no dropout vs dropout", null, $"only the full {lesson.SlideSteps} epochs overfit");
    lesson.Skip("validation loss, no dropout vs dropout", null, $"only the full {lesson.SlideSteps} epochs overfit");
}
// Dropout only thins the network while it trains: fed 1.0, the network is deterministic.
lesson.CheckEqual("dropout network, two evaluations with keepProb 1.0", dropout.FinalValidationAccuracy, dropout.RepeatedValidationAccuracy);

var curves = new Multiplot(1, 2)
{
    Title = new Caption($"드롭아웃으로 과적합 막기: MNIST 훈련 이미지 {trainingImages}장, 784-256-256-10 ReLU, adam",
        $"MNIST, {trainingImages} training images, 784-256-256-10 ReLU, adam"),
};
var accuracyPanel = curves.AddPlot();
var lossPanel = curves.AddPlot();
foreach (var (run, color) in new[] { (plain, Palette.Get(3)), (dropout, Palette.Get(0)) })
{
    double[] epochs = Enumerable.Range(1, run.TrainAccuracy.Count).Select(e => (double)e).ToArray();
    accuracyPanel.Add.ScatterLine(epochs, run.TrainAccuracy.ToArray(), color).LegendText = $"{run.Name}: train";
    var validationLine = accuracyPanel.Add.ScatterLine(epochs, run.ValidationAccuracy.ToArray(), color);
    validationLine.LegendText = $"{run.Name}: validation";
    validationLine.LinePattern = ScottPlot.LinePattern.Dashed;
    lossPanel.Add.ScatterLine(epochs, run.TrainLoss.ToArray(), color).LegendText = $"{run.Name}: train";
    var validationLoss = lossPanel.Add.ScatterLine(epochs, run.ValidationLoss.ToArray(), color);
    validationLoss.LegendText = $"{run.Name}: validation";
    validationLoss.LinePattern = ScottPlot.LinePattern.Dashed;
}
accuracyPanel.Title("Accuracy (keepProb 1.0)");
accuracyPanel.XLabel("epoch");
accuracyPanel.YLabel("accuracy");
accuracyPanel.ShowLegend(ScottPlot.Alignment.LowerRight);
lossPanel.Axes.LogScaleY();
lossPanel.Title("Cross-entropy loss (keepProb 1.0)");
lossPanel.XLabel("epoch");
lossPanel.YLabel("loss");
curves.Save(lesson.OutFile("curves.png"), 1300, 560);

return lesson.Finish();

// Builds the network on a fresh graph with the lesson's seed (so both runs start from the same
// weights), trains it for lesson.Steps epochs feeding the given keep probabilities, and measures it after every epoch.
// The board gets its graph and each epoch's figures under <run>/train and <run>/validation, with the same tags for both networks.
History Train(string name, float inputKeep, float hiddenKeep, string run)
{
    var g = new Graph { Seed = lesson.Seed };
    var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
    var y = g.Placeholder(DType.Float32, new Shape(-1, 10), "y");
    var keepProbInput = g.Placeholder(DType.Float32, Shape.Scalar, "keepProbInput");
    var keepProb = g.Placeholder(DType.Float32, Shape.Scalar, "keepProb");

    var xDrop = g.Dropout(x, keepProbInput);
    var W1 = g.Variable(Init.GlorotUniform([784, 256]), "W1");
    var b1 = g.Variable(Init.Zeros(256), "b1");
    var h1 = g.Dropout(g.Relu(g.MatMul(xDrop, W1) + b1), keepProb);
    var W2 = g.Variable(Init.GlorotUniform([256, 256]), "W2");
    var b2 = g.Variable(Init.Zeros(256), "b2");
    var h2 = g.Dropout(g.Relu(g.MatMul(h1, W2) + b2), keepProb);
    var W3 = g.Variable(Init.GlorotUniform([256, 10]), "W3");
    var b3 = g.Variable(Init.Zeros(10), "b3");
    var logits = g.MatMul(h2, W3) + b3;

    var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(y, logits));
    var train = new AdamOptimizer(0.001).Minimize(loss);
    var accuracy = g.ReduceMean(g.Cast(g.Equal(g.ArgMax(logits, 1), g.ArgMax(y, 1)), DType.Float32));

    FeedDict Feed(Tensor images, Tensor labels, float input, float hidden) => new()
    {
        [x] = images, [y] = labels, [keepProbInput] = Tensor.Scalar(input), [keepProb] = Tensor.Scalar(hidden),
    };

    using var sess = new Session(g);
    sess.Run(g.GlobalVariablesInitializer());
    var (trainingBoard, validationBoard) = (lesson.Board($"{run}/train"), lesson.Board($"{run}/validation"));
    trainingBoard.AddGraph(g);
    var batches = new DataSet(trainXs, trainYs, seed: lesson.Seed);
    var history = new History(name);
    var clock = Stopwatch.StartNew();
    using (var bar = lesson.Progress(lesson.Steps, name))
    {
        for (int epoch = 1; epoch <= lesson.Steps; epoch++)
        {
            for (int i = 0; i < trainingImages / batchSize; i++)
            {
                var (batchXs, batchYs) = batches.NextBatch(batchSize);
                sess.Run(train, Feed(batchXs, batchYs, inputKeep, hiddenKeep));
                trainingBoard.ProfileStep(sess, (epoch - 1) * (trainingImages / batchSize) + i);
            }
            var t = sess.Run([loss, accuracy], Feed(trainXs, trainYs, 1f, 1f));
            var v = sess.Run([loss, accuracy], Feed(validationXs, validationYs, 1f, 1f));
            history.Add((float)t[0], (float)t[1], (float)v[0], (float)v[1]);
            LogEpoch(trainingBoard, epoch, t);
            LogEpoch(validationBoard, epoch, v);
            if (epoch % 10 == 0 || epoch == lesson.Steps)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "  {0,-32} epoch {1,3}: loss {2:F4} accuracy {3:F4}  val_loss {4:F4} val_accuracy {5:F4}",
                    name, epoch, (float)t[0], (float)t[1], (float)v[0], (float)v[1]));
            bar.Tick();
        }
    }
    lesson.Measure($"{name}: seconds", null, Math.Round(clock.Elapsed.TotalSeconds, 2));
    history.RepeatedValidationAccuracy = (float)sess.Run(accuracy, Feed(validationXs, validationYs, 1f, 1f));
    return history;
}

// One epoch's [loss, accuracy], as fetched, under the tags both networks share.
static void LogEpoch(GraphDL.Summaries.FileWriter board, int epoch, RunResult lossAndAccuracy)
{
    board.AddScalar("loss", (float)lossAndAccuracy[0], epoch);
    board.AddScalar("accuracy", (float)lossAndAccuracy[1], epoch);
}

/// <summary>One run's loss and accuracy after every epoch, on the training images and the validation images.</summary>
sealed class History(string name)
{
    public string Name { get; } = name;
    public List<double> TrainLoss { get; } = [];
    public List<double> TrainAccuracy { get; } = [];
    public List<double> ValidationLoss { get; } = [];
    public List<double> ValidationAccuracy { get; } = [];

    /// <summary>The validation accuracy measured once more after training, to compare with the last epoch's.</summary>
    public float RepeatedValidationAccuracy { get; set; }

    public float FinalValidationAccuracy => (float)ValidationAccuracy[^1];

    public void Add(double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy)
    {
        TrainLoss.Add(trainLoss);
        TrainAccuracy.Add(trainAccuracy);
        ValidationLoss.Add(validationLoss);
        ValidationAccuracy.Add(validationAccuracy);
    }

    public double Last(List<double> values) => values.TakeLast(10).Average();

    public double Gap() => Last(TrainAccuracy) - Last(ValidationAccuracy);
}
