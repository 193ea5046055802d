using GraphDL.Backends.Cpu.Blas;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// GRAPHDL_BLAS as a user sets it. The choice is made once per process, so each case starts the BLAS probe
/// (Tests/BlasProbe, built beside the tests) with its own environment and reads what it reports.
/// </summary>
public class BlasChoiceTests
{
    private static string MklInCache => BlasCache.PathOf(BlasCache.MklFolder, "libmkl_rt.so");

    private static string OpenBlasInCache => BlasCache.PathOf(BlasCache.OpenBlasFolder, "libopenblas.so.0");

    [Test]
    public void OpenBlasIsUsedWhenAskedFor()
    {
        var probe = Probe("openblas");
        Assert.That(probe.ExitCode, Is.Zero, probe.Error);
        Assert.That(probe["choice"], Is.EqualTo("openblas"));
        Assert.That(probe["description"], Does.StartWith("Native CBLAS (OpenBLAS"));
        Assert.That(probe.Tried, Has.None.Contain("MKL"), "asking for OpenBLAS looks for nothing else");
    }

    [Test]
    public void MklIsUsedWhenAskedFor()
    {
        var probe = Probe("mkl");
        if (probe.ExitCode == 2 && !File.Exists(MklInCache))
            Assert.Ignore($"No MKL here: the system has none and {MklInCache} was not fetched ({probe.Error.Trim()}).");
        Assert.That(probe.ExitCode, Is.Zero, probe.Error);
        Assert.That(probe["choice"], Is.EqualTo("mkl"));
        Assert.That(probe["description"], Does.StartWith("Native CBLAS (Intel MKL"));
        if (OperatingSystem.IsLinux()) Assert.That(probe["description"], Does.Contain("GNU OpenMP threads"), "never Intel's libiomp5, which nobody fetched");
    }

    [Test]
    public void ManagedCodeIsUsedWhenAskedFor()
    {
        var probe = Probe("managed");
        Assert.That(probe.ExitCode, Is.Zero, probe.Error);
        Assert.That(probe["kind"], Is.EqualTo("Managed"));
        Assert.That(probe["description"], Is.EqualTo("MathNet managed (GRAPHDL_BLAS=managed)"));
        Assert.That(probe.Error, Does.Not.Contain("no native BLAS found"), "a managed choice asked for is not warned about");
    }

    [Test]
    public void UnsetItPicksMklFromTheCacheOnThisProjectsMachines()
    {
        if (!BlasCache.AppliesHere || !File.Exists(MklInCache)) Assert.Ignore($"{MklInCache} was not fetched here.");
        var probe = Probe(null);
        Assert.That(probe.ExitCode, Is.Zero, probe.Error);
        Assert.That(probe["choice"], Is.EqualTo("mkl"), string.Join("\n", probe.Tried));
        Assert.That(probe.Tried[^1], Does.EndWith("in use"));
    }

    [Test]
    public void AnUnknownValueStopsTheFirstProductAndSaysWhatIsKnown()
    {
        var probe = Probe("bogus");
        Assert.That(probe.ExitCode, Is.EqualTo(2), probe.Output);
        Assert.That(probe.Error, Does.Contain("GRAPHDL_BLAS=bogus").And.Contain("mkl, accelerate, openblas").And.Contain("managed"));
    }

    [Test]
    public void AMissingLibraryPathIsAnErrorNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "graphdl-no-such-dir", "libopenblas.so.0");
        var probe = Probe(path);
        Assert.That(probe.ExitCode, Is.EqualTo(2), probe.Output);
        Assert.That(probe.Error, Does.Contain($"GRAPHDL_BLAS={path}").And.Contain($"{path}: not found"));
    }

    [Test]
    public void TheCachedOpenBlasLoadsByItsPathWithItsFortranRuntime()
    {
        if (!BlasCache.AppliesHere || !File.Exists(OpenBlasInCache)) Assert.Ignore($"{OpenBlasInCache} was not fetched here.");
        var probe = Probe(OpenBlasInCache);
        Assert.That(probe.ExitCode, Is.Zero, probe.Error);
        Assert.That(probe["choice"], Is.EqualTo("openblas"));
        Assert.That(probe["description"], Does.Contain("OpenBLAS 0.3.21").And.EndWith($"{OpenBlasInCache})"));
    }

    private sealed record ProbeResult(int ExitCode, string Output, string Error)
    {
        public string this[string key] => Output.Split('\n').Select(l => l.TrimEnd('\r'))
            .FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..]
            ?? throw new AssertionException($"The probe printed no '{key}':\n{Output}\n{Error}");

        public string[] Tried => [.. Output.Split('\n').Where(l => l.StartsWith("tried: ", StringComparison.Ordinal)).Select(l => l["tried: ".Length..].TrimEnd('\r'))];
    }

    private static ProbeResult Probe(string? setting)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "GraphDL.BlasProbe.dll");
        Assert.That(File.Exists(probe), $"{probe} was not built beside the tests");
        var (exitCode, output, error) = ChildProcess.Run("dotnet", [probe], TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { [BlasProvider.Variable] = setting });
        return new ProbeResult(exitCode, output, error);
    }
}
