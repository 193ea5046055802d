using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Guarantees;

/// <summary>
/// One session, many threads: readers never see a step half-applied, a checkpoint written during training holds
/// one step's values, and hours of this leak nothing. Every training step below adds exactly 1 to every weight and
/// bias, so "from one step" is checkable: all elements of a fetched value, and all variables of a file, are equal.
/// </summary>
public class SessionUnderLoadTests
{
    private sealed class CountingModel
    {
        public readonly Graph Graph = new() { Seed = 3 };
        public readonly Output X, W, B, Step, Prediction;
        public readonly Node Train;

        public CountingModel()
        {
            var g = Graph;
            X = g.Placeholder(DType.Float32, new Shape(-1, 64), "x");
            W = g.Variable(Init.Zeros(64, 256), "W");
            B = g.Variable(Init.Zeros(256), "b");
            Step = g.Variable(Tensor.FromFlat(new[] { 0 }, Shape.Scalar), "global_step", trainable: false);
            Prediction = g.Add(g.MatMul(X, W), B, "prediction");
            // d(loss)/dW = d(loss)/db = -1 everywhere, so plain gradient descent with rate 1 adds 1 to each element.
            var loss = g.Neg(g.Add(g.ReduceSum(W), g.ReduceSum(B)), "loss");
            Train = new GradientDescentOptimizer(1.0).Minimize(loss, [W, B], globalStep: Step);
        }
    }

    [Test]
    public void EightReadersAndATrainerShareASessionWithoutTornValuesOrLeaks()
    {
        var m = new CountingModel();
        using var session = new Session(m.Graph);
        session.Run(m.Graph.GlobalVariablesInitializer());
        var ones = Tensor.Filled(new Shape(3, 64), DType.Float32, 1);

        const int TrainingSteps = 10_000, Readers = 8;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long reads = 0;
        long memoryAfterWarmUp = 0;
        bool trainingDone = false;
        var trainer = new Thread(() =>
        {
            try
            {
                for (int s = 1; s <= TrainingSteps; s++)
                {
                    session.Run(m.Train);
                    if (s == 1_000) memoryAfterWarmUp = ManagedMemory();
                }
            }
            catch (Exception e) { failures.Enqueue($"trainer: {e}"); }
            finally { Volatile.Write(ref trainingDone, true); }
        });
        var readers = Enumerable.Range(0, Readers).Select(r => new Thread(() =>
        {
            try
            {
                while (!Volatile.Read(ref trainingDone))
                {
                    var v = session.Run([m.W, m.B, m.Step, m.Prediction], new() { [m.X] = ones });
                    float[] w = v[0].ToArray<float>(), b = v[1].ToArray<float>(), p = v[3].ToArray<float>();
                    int step = v[2].ToArray<int>()[0];
                    // Every element of every value must be the same step's: W and b all equal to the step count,
                    // and the prediction 64 w + b from those same values.
                    if (w.Any(e => e != step) || b.Any(e => e != step) || p.Any(e => e != 65f * step))
                        failures.Enqueue($"reader {r} saw step {step} with W in [{w.Min()}, {w.Max()}], b in [{b.Min()}, {b.Max()}], prediction in [{p.Min()}, {p.Max()}]");
                    Interlocked.Increment(ref reads);
                }
            }
            catch (Exception e) { failures.Enqueue($"reader {r}: {e}"); }
        })).ToList();

        trainer.Start();
        readers.ForEach(t => t.Start());
        trainer.Join();
        readers.ForEach(t => t.Join());

        Assert.That(failures.Take(5), Is.Empty);
        Assert.That(session.GetValue(m.Step).ToArray<int>()[0], Is.EqualTo(TrainingSteps));
        Assert.That(reads, Is.GreaterThan(Readers), "the readers ran while the trainer did");
        long growth = ManagedMemory() - memoryAfterWarmUp;
        Assert.That(growth, Is.LessThan(8 << 20), $"managed memory grew by {growth:N0} bytes over 9,000 steps");
        Assert.That(session.Plans.Count(), Is.LessThanOrEqualTo(Readers + 2), "plans are reused, not compiled per run");
    }

    [Test]
    public void AnOptimizerStepWithoutAGlobalStepIsAtomicToo()
    {
        // No Assign in this plan, only the optimizer's update ops: they too must keep readers out.
        var g = new Graph();
        var W = g.Variable(Init.Zeros(64, 256), "W");
        var b = g.Variable(Init.Zeros(256), "b");
        var train = new GradientDescentOptimizer(1.0).Minimize(g.Neg(g.Add(g.ReduceSum(W), g.ReduceSum(b))), [W, b]);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var torn = new System.Collections.Concurrent.ConcurrentQueue<string>();
        bool done = false;
        var readers = Enumerable.Range(0, 4).Select(r => new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                var v = session.Run([W, b]);
                float[] w = v[0].ToArray<float>(), bias = v[1].ToArray<float>();
                if (w.Any(e => e != w[0]) || bias.Any(e => e != w[0]))
                    torn.Enqueue($"reader {r}: W in [{w.Min()}, {w.Max()}], b in [{bias.Min()}, {bias.Max()}]");
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        for (int step = 0; step < 2_000; step++) session.Run(train);
        Volatile.Write(ref done, true);
        readers.ForEach(t => t.Join());
        Assert.That(torn.Take(5), Is.Empty);
        Assert.That(session.GetValue(W).ToArray<float>()[0], Is.EqualTo(2_000f));
    }

    [Test]
    public void ACheckpointSavedDuringTrainingHoldsOneStepsValues()
    {
        var m = new CountingModel();
        using var session = new Session(m.Graph);
        session.Run(m.Graph.GlobalVariablesInitializer());
        var folder = Directory.CreateTempSubdirectory("graphdl-load-").FullName;
        try
        {
            var saver = new Saver(m.Graph, maxToKeep: null);
            bool done = false;
            Exception? trainerFailure = null;
            var trainer = new Thread(() =>
            {
                try { while (!Volatile.Read(ref done)) session.Run(m.Train); }
                catch (Exception e) { trainerFailure = e; }
            });
            trainer.Start();
            var files = new List<string>();
            for (int i = 0; i < 30; i++) files.Add(saver.Save(session, Path.Combine(folder, "model"), globalStep: i));
            Volatile.Write(ref done, true);
            trainer.Join();
            Assert.That(trainerFailure, Is.Null);

            var steps = new List<int>();
            foreach (var file in files)
            {
                var arrays = Npz.Load(file);
                int step = arrays["global_step"].ToArray<int>()[0];
                Assert.That(arrays["W"].ToArray<float>(), Is.All.EqualTo((float)step), $"{Path.GetFileName(file)}: W is from step {step}");
                Assert.That(arrays["b"].ToArray<float>(), Is.All.EqualTo((float)step), $"{Path.GetFileName(file)}: b is from step {step}");
                steps.Add(step);
            }
            Assert.That(steps, Is.Ordered, "later saves hold later steps");
            Assert.That(steps[^1], Is.GreaterThan(steps[0]), "training went on between the saves");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
