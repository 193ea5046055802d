using NUnit.Framework;

namespace GraphDL.Tests.Engine;

public class ConcurrencyTests
{
    [Test]
    public void InferenceFromManyThreadsAtOnceGivesEachItsOwnAnswer()
    {
        var g = new Graph { Seed = 5 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 20), "x");
        var w1 = g.Variable(Init.TruncatedNormal([20, 64], stddev: 0.3), "W1");
        var w2 = g.Variable(Init.TruncatedNormal([64, 10], stddev: 0.3), "W2");
        var hidden = g.Relu(g.MatMul(x, w1));
        var probabilities = g.Softmax(g.MatMul(hidden, w2));
        var prediction = g.ArgMax(probabilities, 1);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());

        const int Threads = 8, RunsEach = 40;
        var inputs = new Tensor[Threads * RunsEach];
        var expected = new (double[] P, double[] Arg)[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            // Batch sizes differ between runs, so concurrent plans also rebind their buffers.
            inputs[i] = GpuCheck.Kit.Random(new Shape(1 + i % 7, 20), seed: i);
            var r = session.Run([probabilities, prediction], new() { [x] = inputs[i] });
            expected[i] = (r[0].ToDoubles(), r[1].ToDoubles());
        }

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int k = 0; k < RunsEach; k++)
            {
                int i = t * RunsEach + (k * 7 + t) % RunsEach;
                var r = session.Run([probabilities, prediction], new() { [x] = inputs[i] });
                if (!r[0].ToDoubles().SequenceEqual(expected[i].P) || !r[1].ToDoubles().SequenceEqual(expected[i].Arg))
                    failures.Add($"thread {t}, input {i}");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.That(failures, Is.Empty);
        Assert.That(session.Plans.Count(), Is.GreaterThan(1), "busy plans were copied rather than waited for");
    }

    [Test]
    public void ConcurrentDropoutDrawsStayUsable()
    {
        var g = new Graph { Seed = 9 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 50), "x");
        var dropped = g.Dropout(x, g.Constant(0.5f));
        using var session = new Session(g);
        var ones = Tensor.Filled(new Shape(4, 50), DType.Float32, 1);
        var results = new System.Collections.Concurrent.ConcurrentBag<double[]>();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => results.Add(session.Run(dropped, new() { [x] = ones }).ToDoubles()));
        foreach (var r in results)
            Assert.That(r, Is.All.EqualTo(0).Or.EqualTo(2), "kept elements are scaled by 1 / keepProb");
        Assert.That(results.Select(r => r.Count(v => v == 0)).Average(), Is.InRange(70, 130), "about half of 200 dropped");
    }
}
