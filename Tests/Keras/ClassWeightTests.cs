using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Fit's classWeight (Keras's class_weight): each example's loss term scaled by its class's weight.</summary>
public class ClassWeightTests
{
    private static Tensor Random2D(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Tensor.FromFlat(Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), new Shape(rows, columns));
    }

    private static Sequential Softmax(int seed, double learningRate, string loss = "sparse_categorical_crossentropy")
    {
        var model = new Sequential([new Layers.Dense(3, activation: "softmax", inputShape: [4])]) { Seed = seed };
        model.Compile(new GradientDescentOptimizer(learningRate), loss, ["accuracy"]);
        return model;
    }

    /// <summary>Softmax probabilities of x·W + b, in double, from the model's weights.</summary>
    private static double[,] Probabilities(Tensor x, Tensor[] weights)
    {
        int n = x.Shape[0], features = x.Shape[1], classes = weights[1].Size;
        var p = new double[n, classes];
        for (int i = 0; i < n; i++)
        {
            var z = new double[classes];
            for (int k = 0; k < classes; k++)
            {
                z[k] = weights[1].GetDouble(k);
                for (int j = 0; j < features; j++) z[k] += x.GetDouble(i * features + j) * weights[0].GetDouble(j * classes + k);
            }
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            for (int k = 0; k < classes; k++) p[i, k] = Math.Exp(z[k] - max) / sum;
        }
        return p;
    }

    [Test]
    public void TheLossIsTheWeightedSumOverTheBatchSizeAndOneStepFollowsItsGradient()
    {
        const int n = 6;
        const double rate = 0.5;
        var x = Random2D(n, 4, seed: 1);
        int[] ids = [0, 1, 2, 2, 0, 1];
        var classWeight = new Dictionary<int, double> { [0] = 2.0, [2] = 0.25 };   // class 1 is left out: weight 1
        double[] w = [.. ids.Select(id => classWeight.GetValueOrDefault(id, 1.0))];

        var model = Softmax(seed: 3, rate);
        var before = model.GetWeights();
        var p = Probabilities(x, before);
        double handLoss = Enumerable.Range(0, n).Sum(i => w[i] * -Math.Log(p[i, ids[i]])) / n;
        Assert.That(handLoss, Is.Not.EqualTo(Enumerable.Range(0, n).Sum(i => w[i] * -Math.Log(p[i, ids[i]])) / w.Sum()).Within(1e-3),
            "dividing by the batch size and by the weights' sum must differ here, or the test could not tell them apart");

        var history = model.Fit(x, Tensor.FromFlat(ids, new Shape(n)), epochs: 1, batchSize: n, shuffle: false, verbose: 0, classWeight: classWeight);
        Assert.That(history["loss"][0], Is.EqualTo(handLoss).Within(1e-6));
        double accuracy = Enumerable.Range(0, n).Average(i => Enumerable.Range(0, 3).MaxBy(k => p[i, k]) == ids[i] ? 1.0 : 0.0);
        Assert.That(history["accuracy"][0], Is.EqualTo(accuracy).Within(1e-9), "metrics stay unweighted");

        // d loss / d z_ik = w_i (p_ik - [k = id_i]) / n; dW = xᵀ dz, db = Σ_i dz_i.
        var after = model.GetWeights();
        for (int k = 0; k < 3; k++)
        {
            double db = 0;
            for (int i = 0; i < n; i++) db += w[i] * (p[i, k] - (ids[i] == k ? 1 : 0)) / n;
            Assert.That(after[1].GetDouble(k), Is.EqualTo(before[1].GetDouble(k) - rate * db).Within(1e-6), $"b[{k}]");
            for (int j = 0; j < 4; j++)
            {
                double dW = 0;
                for (int i = 0; i < n; i++) dW += x.GetDouble(i * 4 + j) * w[i] * (p[i, k] - (ids[i] == k ? 1 : 0)) / n;
                Assert.That(after[0].GetDouble(j * 3 + k), Is.EqualTo(before[0].GetDouble(j * 3 + k) - rate * dW).Within(1e-6), $"W[{j}, {k}]");
            }
        }
    }

    [Test]
    public void OneHotLabelsAreWeightedByTheirArgmax()
    {
        const int n = 5;
        var x = Random2D(n, 4, seed: 2);
        int[] ids = [2, 0, 1, 2, 1];
        var classWeight = new Dictionary<int, double> { [0] = 0.5, [1] = 3.0, [2] = 1.5 };
        var model = Softmax(seed: 4, learningRate: 0.1, loss: "categorical_crossentropy");
        var p = Probabilities(x, model.GetWeights());
        double handLoss = Enumerable.Range(0, n).Sum(i => classWeight[ids[i]] * -Math.Log(p[i, ids[i]])) / n;
        var history = model.Fit(x, GraphDL.Data.OneHotEncoding.Encode(ids, 3), batchSize: n, verbose: 0, classWeight: classWeight);
        Assert.That(history["loss"][0], Is.EqualTo(handLoss).Within(1e-6));
    }

    [Test]
    public void ASigmoidOutputIsWeightedByItsZeroOrOneLabel()
    {
        const int n = 8;
        var x = Random2D(n, 3, seed: 5);
        float[] labels = [0, 1, 1, 0, 1, 0, 0, 1];
        var model = new Sequential([new Layers.Dense(1, activation: "sigmoid", inputShape: [3])]) { Seed = 6 };
        model.Compile(new GradientDescentOptimizer(0.1), "binary_crossentropy");
        var weights = model.GetWeights();
        double handLoss = 0;
        for (int i = 0; i < n; i++)
        {
            double z = weights[1].GetDouble(0);
            for (int j = 0; j < 3; j++) z += x.GetDouble(i * 3 + j) * weights[0].GetDouble(j);
            double p = 1 / (1 + Math.Exp(-z));
            handLoss += (labels[i] == 1 ? 4.0 : 1.0) * -(labels[i] * Math.Log(p) + (1 - labels[i]) * Math.Log(1 - p));
        }
        var history = model.Fit(x, Tensor.FromFlat(labels, new Shape(n, 1)), batchSize: n, verbose: 0,
            classWeight: new Dictionary<int, double> { [1] = 4.0 });
        Assert.That(history["loss"][0], Is.EqualTo(handLoss / n).Within(1e-6));
    }

    [Test]
    public void WeightsOfOneAreNoClassWeightToTheBit()
    {
        var x = Random2D(30, 4, seed: 7);
        var y = Tensor.FromFlat(Enumerable.Range(0, 30).Select(i => i * 7 % 3).ToArray(), new Shape(30));
        var plain = Softmax(seed: 8, learningRate: 0.3).Fit(x, y, epochs: 4, batchSize: 8, seed: 1, verbose: 0);
        var ones = Softmax(seed: 8, learningRate: 0.3).Fit(x, y, epochs: 4, batchSize: 8, seed: 1, verbose: 0,
            classWeight: new Dictionary<int, double> { [0] = 1, [1] = 1, [2] = 1 });
        Assert.That(ones["loss"], Is.EqualTo(plain["loss"]));
        var other = Softmax(seed: 8, learningRate: 0.3).Fit(x, y, epochs: 4, batchSize: 8, seed: 1, verbose: 0,
            classWeight: new Dictionary<int, double> { [1] = 2 });
        Assert.That(other["loss"][0], Is.Not.EqualTo(plain["loss"][0]), "a weight other than 1 changes the loss");
    }

    [Test]
    public void ValidationFiguresStayUnweighted()
    {
        var x = Random2D(12, 4, seed: 10);
        var y = Tensor.FromFlat(Enumerable.Range(0, 12).Select(i => i % 3).ToArray(), new Shape(12));
        var model = Softmax(seed: 2, learningRate: 0.2);
        var history = model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, validationData: (x, y), classWeight: new Dictionary<int, double> { [0] = 5 });
        // Fit validates in its own batches of 4; Evaluate in the same batches adds the same float32 numbers in the same order.
        var unweighted = model.Evaluate(x, y, batchSize: 4, verbose: 0);
        Assert.That(history.Last("val_loss"), Is.EqualTo(unweighted["loss"]), "validation after the last epoch is Evaluate's unweighted loss");
    }

    [Test]
    public void AClassTheOutputCannotHaveOrANegativeWeightIsAnError()
    {
        var x = Random2D(4, 4, seed: 9);
        var y = Tensor.FromFlat(new[] { 0, 1, 2, 0 }, new Shape(4));
        var model = Softmax(seed: 1, learningRate: 0.1);
        var unknown = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, classWeight: new Dictionary<int, double> { [3] = 1 }));
        Assert.That(unknown!.Message, Does.StartWith("classWeight has a weight for class 3, but model 'sequential''s output (None, 3) has classes 0 to 2."));
        var negative = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, classWeight: new Dictionary<int, double> { [1] = -0.5 }));
        Assert.That(negative!.Message, Does.StartWith("classWeight's weight for class 1 is -0.5"));

        var sigmoid = new Sequential([new Layers.Dense(1, activation: "sigmoid", inputShape: [4])]);
        sigmoid.Compile("sgd", "binary_crossentropy");
        var two = Assert.Throws<ArgumentException>(() => sigmoid.Fit(x, new Tensor(new Shape(4, 1)), verbose: 0, classWeight: new Dictionary<int, double> { [2] = 1 }));
        Assert.That(two!.Message, Does.Contain("has classes 0 to 1"), "one sigmoid column has the classes 0 and 1");

        var inputs = Layers.Input([4]);
        var heads = new Model(inputs, [new Layers.Dense(2, activation: "softmax").Apply(inputs), new Layers.Dense(1).Apply(inputs)]);
        heads.Compile("sgd", "mse");
        var several = Assert.Throws<ArgumentException>(() => heads.Fit(x, [new Tensor(new Shape(4, 2)), new Tensor(new Shape(4, 1))], verbose: 0,
            classWeight: new Dictionary<int, double> { [0] = 2 }));
        Assert.That(several!.Message, Does.StartWith("classWeight is for a model with one output"));
    }
}
