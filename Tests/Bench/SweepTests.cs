using System.Text.Json;
using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary>
/// <c>Bench --sweep --sweep-small</c>: the sweep's code path on its tiny grid (two MLP points, one short sequence), which
/// must write a sweep.json whose figures agree with each other and the three plots. The full sweep is not run here.
/// </summary>
[NonParallelizable]
public class SweepTests
{
    private string _out = "";

    [SetUp]
    public void MakeOutputDirectory() => _out = Directory.CreateTempSubdirectory("graphdl-sweep-").FullName;

    [TearDown]
    public void RemoveOutputDirectory() => Directory.Delete(_out, recursive: true);

    [Test]
    public void ASmallSweepWritesItsJsonAndThreePlots()
    {
        var (code, output, error) = BenchProgram.Run(null, "--sweep", "--sweep-small", "--out", _out);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain($"Wrote {Path.Combine(_out, "sweep.json")}"));

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "sweep.json")));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("small").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("runs").GetInt32(), Is.EqualTo(1), "--sweep-small takes 1 run unless --runs says otherwise");
        Assert.That(root.TryGetProperty("torch", out _), Is.False, "no --compare, so no PyTorch members");
        double limit = root.GetProperty("limit").GetProperty("graphdl_gflops").GetDouble();
        Assert.That(limit, Is.GreaterThan(0));

        var mlp = root.GetProperty("mlp").EnumerateArray().ToList();
        Assert.That(mlp.Select(p => (p.GetProperty("batch").GetInt32(), p.GetProperty("width").GetInt32())), Is.EqualTo(new[] { (1, 64), (4, 64) }));
        foreach (var point in mlp)
        {
            int batch = point.GetProperty("batch").GetInt32(), width = point.GetProperty("width").GetInt32();
            // 2B(2DW + 3WC): the forward products, dW2, dh and dW1 (the docs' formula), D = 784, C = 10.
            Assert.That(point.GetProperty("flops").GetDouble(), Is.EqualTo(2.0 * batch * (2 * 784 * width + 3 * width * 10)));
            var step = point.GetProperty("graphdl");
            AssertConsistent(step, point.GetProperty("flops").GetDouble());
            AssertConsistent(point.GetProperty("products"), point.GetProperty("flops").GetDouble());
            Assert.That(point.GetProperty("share_of_sgemm").GetDouble(), Is.EqualTo(step.GetProperty("gflops").GetDouble() / limit).Within(0.1).Percent);
        }

        var lstm = root.GetProperty("lstm").EnumerateArray().Single();
        Assert.That(lstm.GetProperty("time").GetInt32(), Is.EqualTo(5));
        // 6TN(4H(E + H) + HV) with N = 32, E = 64, H = 128, V = 65.
        Assert.That(lstm.GetProperty("flops").GetDouble(), Is.EqualTo(6.0 * 5 * 32 * (4 * 128 * (64 + 128) + 128 * 65)));
        AssertConsistent(lstm.GetProperty("graphdl"), lstm.GetProperty("flops").GetDouble());

        foreach (string name in (string[])["sweep_mlp_step_ms.png", "sweep_mlp_gflops.png", "sweep_lstm_step_ms.png"])
        {
            var bytes = File.ReadAllBytes(Path.Combine(_out, name));
            Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{name} is a PNG");
            Assert.That(bytes.Length, Is.GreaterThan(10_000), $"{name} has lines and labels in it");
        }
    }

    [Test]
    public void WithJsonStandardOutputIsTheJsonFileAlone()
    {
        var (code, output, error) = BenchProgram.Run(null, "--sweep", "--sweep-small", "--json", "--out", _out);
        Assert.That(code, Is.Zero, error);
        Assert.That(output.Trim(), Is.EqualTo(File.ReadAllText(Path.Combine(_out, "sweep.json")).Trim()));
        Assert.That(error, Does.Contain("sgemm n=128"), "the progress goes to standard error");
    }

    // The fastest run is no slower than the median, and GFLOP/s is the flops over the median.
    private static void AssertConsistent(JsonElement timed, double flops)
    {
        double median = timed.GetProperty("step_ms").GetDouble(), fastest = timed.GetProperty("step_ms_min").GetDouble();
        Assert.That(median, Is.GreaterThan(0));
        Assert.That(fastest, Is.LessThanOrEqualTo(median));
        Assert.That(timed.GetProperty("gflops").GetDouble(), Is.EqualTo(flops / (median * 1e-3) / 1e9).Within(0.1).Percent);
    }
}
