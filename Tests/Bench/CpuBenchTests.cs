using System.Text.Json;
using GraphDL.Backends.Cpu.Blas;
using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary>
/// The CPU benchmark's JSON lines: every figure once per BLAS library, named by its <c>blas</c> member, the engine's own
/// choice first, so that a reader that knows only name, value and unit still gets the default library's figure first.
/// </summary>
[NonParallelizable]
public class CpuBenchTests
{
    private static string MklInCache => BlasCache.PathOf(BlasCache.MklFolder, "libmkl_rt.so");

    private static string OpenBlasInCache => BlasCache.PathOf(BlasCache.OpenBlasFolder, "libopenblas.so.0");

    [Test]
    public void EachFigureComesOncePerLibraryWithItsName()
    {
        if (!BlasCache.AppliesHere || !File.Exists(MklInCache) || !File.Exists(OpenBlasInCache))
            Assert.Ignore("MKL and OpenBLAS are not both in the user cache (the build fetches them on Linux x86-64).");
        var lines = Json(BenchProgram.Run(new Dictionary<string, string?> { [BlasProvider.Variable] = null }, "--only", "sgemm_gflops_n256", "--runs", "1", "--json"));

        var libraries = lines.Where(l => l.Name == "blas").ToList();
        Assert.That(libraries.Select(l => l.Blas), Is.EqualTo(new[] { "mkl", "openblas" }), "the engine's choice first, then the other");
        Assert.That(libraries[0].Value.GetString(), Does.Contain("Intel MKL"));
        Assert.That(libraries[1].Value.GetString(), Does.Contain("OpenBLAS"));
        var sgemm = lines.Where(l => l.Name == "sgemm_gflops_n256").ToList();
        Assert.That(sgemm.Select(l => l.Blas), Is.EqualTo(new[] { "mkl", "openblas" }));
        Assert.That(sgemm.Select(l => l.Value.GetDouble()), Has.All.GreaterThan(0));
    }

    [Test]
    public void GraphdlBlasMeasuresThatLibraryAlone()
    {
        var lines = Json(BenchProgram.Run(new Dictionary<string, string?> { [BlasProvider.Variable] = "managed" }, "--only", "sgemm_gflops_n256", "--runs", "1", "--json"));
        Assert.That(lines.Where(l => l.Name == "blas").Select(l => (l.Blas, l.Value.GetString())),
            Is.EqualTo(new[] { ("managed", "MathNet managed (GRAPHDL_BLAS=managed)") }));
        Assert.That(lines.Single(l => l.Name == "sgemm_gflops_n256").Blas, Is.EqualTo("managed"));
    }

    [Test]
    public void AnUnknownGraphdlBlasStopsTheBenchmark()
    {
        var (exitCode, output, error) = BenchProgram.Run(new Dictionary<string, string?> { [BlasProvider.Variable] = "fastest" }, "--only", "sgemm_gflops_n256", "--json");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("GRAPHDL_BLAS=fastest names no BLAS GraphDL knows"));
    }

    private sealed record Line(string Name, JsonElement Value, string Unit, string? Blas);

    private static List<Line> Json((int ExitCode, string Output, string Error) run)
    {
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        var lines = new List<Line>();
        foreach (string text in run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // With --json, standard output is JSON lines and nothing else.
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            lines.Add(new Line(root.GetProperty("name").GetString()!, root.GetProperty("value").Clone(), root.GetProperty("unit").GetString()!,
                root.TryGetProperty("blas", out var blas) ? blas.GetString() : null));
        }
        return lines;
    }
}
