using GraphDL.Data;
using GraphDL.Keras;

namespace GraphDL.ResumeProbe;

/// <summary>The two training runs: a TF1-style loop with a TrainingCheckpoint, and a Keras Fit with a ModelCheckpoint.</summary>
internal static class Runs
{
    private const int BatchSize = 6;

    /// <summary>Whether to wait for a line on standard input after each step's line.</summary>
    public static bool Lockstep { get; set; }

    private static void StepDone(int step)
    {
        Console.WriteLine($"step {step}");
        if (Lockstep) Console.ReadLine();
    }

    public static void Tf1(string directory, int steps, int every, string output, Tensor features, Tensor labels)
    {
        var g = new Graph { Seed = 5 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Data.Features), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, Data.Classes), "y");
        var w1 = g.Variable(Init.RandomNormal([Data.Features, 16], stddev: 0.5), "w1");
        var b1 = g.Variable(Init.Zeros(16), "b1");
        var w2 = g.Variable(Init.RandomNormal([16, Data.Classes], stddev: 0.5), "w2");
        var b2 = g.Variable(Init.Zeros(Data.Classes), "b2");
        var hidden = g.Dropout(g.Relu(g.MatMul(x, w1) + b1), g.Constant(Tensor.Scalar(0.7f)));
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(y, g.MatMul(hidden, w2) + b2));
        var globalStep = g.Variable(Tensor.Scalar(0), "global_step", trainable: false);
        var train = new AdamOptimizer(0.01).Minimize(loss, globalStep: globalStep);

        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var data = new DataSet(features, labels, seed: 11);
        var checkpoint = new TrainingCheckpoint(session, new Saver(g, maxToKeep: 3));
        checkpoint.Track(data, "train");
        int start = checkpoint.RestoreLatest(directory) ?? 0;
        Console.WriteLine($"resumed from {start}");
        var batch = (X: new Tensor(new Shape(BatchSize, Data.Features)), Y: new Tensor(new Shape(BatchSize, Data.Classes)));
        var feed = new FeedDict();
        for (int step = start; step < steps; step++)
        {
            data.NextBatch(batch.X, batch.Y);
            feed[x] = batch.X;
            feed[y] = batch.Y;
            session.Run(train, feed);
            if ((step + 1) % every == 0) checkpoint.Save(Path.Combine(directory, "model"), step + 1);
            StepDone(step + 1);
        }
        new Saver(g, maxToKeep: null).Save(session, output, writeState: false);
    }

    public static void Keras(string directory, int epochs, string output, Tensor features, Tensor labels)
    {
        string pattern = Path.Combine(directory, "model-{epoch}.keras");
        Model model;
        int initialEpoch = 0;
        if (ModelCheckpoint.Latest(pattern) is { } last)
        {
            model = Models.LoadModel(last.Path);
            initialEpoch = last.Epoch;
        }
        else
        {
            model = new Sequential([
                new Layers.Dense(16, "relu", inputShape: [Data.Features]),
                new Layers.Dropout(0.3),
                new Layers.Dense(Data.Classes, "softmax"),
            ]) { Seed = 7 };
            model.Compile("adam", "categorical_crossentropy");
        }
        Console.WriteLine($"resumed from {initialEpoch}");
        int rows = features.Shape[0], perEpoch = (rows + BatchSize - 1) / BatchSize;
        model.Fit(features, labels, epochs: epochs, batchSize: BatchSize, verbose: 0, initialEpoch: initialEpoch,
            callbacks: [new ModelCheckpoint(pattern)], onBatchEnd: (epoch, batch) => StepDone(epoch * perEpoch + batch + 1));
        new Saver([.. model.Weights, .. model.OptimizerVariables], maxToKeep: null).Save(model.Session, output, writeState: false);
    }
}
