using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Xml.Linq;
using GraphDL.Tests.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Packaging;

/// <summary>
/// The two NuGet packages as a user meets them: <c>dotnet pack GraphDL.sln</c> on the build this test run made, then a
/// console project in a folder outside the repository that knows GraphDL only by package name and version, restored
/// from a package source of its own, built, and run: it trains XOR TF1-style and draws its loss curve.
/// </summary>
[NonParallelizable]
public class PackageConsumerTests
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(4);

    private string _scratch = "";
    private string _feed = "";
    private string _version = "";

    [OneTimeSetUp]
    public void PackTheSolution()
    {
        string root = RepositoryRoot();
        // Outside the repository, so that the consumer inherits none of its Directory.Build.props or NuGet settings.
        _scratch = Path.Combine(Path.GetTempPath(), "graphdl-package-" + Guid.NewGuid().ToString("N")[..12]);
        Assert.That(Path.GetFullPath(_scratch), Does.Not.StartWith(root), "the scratch folder must lie outside the repository");
        _feed = Path.Combine(_scratch, "feed");

        // The test run has just built every project in this configuration, so packing reuses that build instead of
        // compiling the libraries a second time while this test host has them loaded.
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var (code, output, error) = ChildProcess.Run("dotnet",
            ["pack", Path.Combine(root, "GraphDL.sln"), "-c", configuration, "--no-build", "-o", _feed, "-nologo", "-nodeReuse:false"],
            DotnetTimeout);
        Assert.That(code, Is.Zero, $"dotnet pack GraphDL.sln failed:\n{output}\n{error}");

        // The version is set once for both packages; the engine assembly this run built carries it too.
        string informational = typeof(Graph).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        _version = informational.Split('+')[0];
    }

    [OneTimeTearDown]
    public void RemoveTheScratchFolder()
    {
        if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }

    [Test]
    public void ThePackagesAreTheEngineAndThePlotsWithOneVersion()
    {
        var packages = Directory.GetFiles(_feed, "*.nupkg").Select(Path.GetFileName).Order().ToArray();
        Assert.That(packages, Is.EqualTo(new[] { $"GraphDL.{_version}.nupkg", $"GraphDL.Plots.{_version}.nupkg" }),
            "only the two libraries are packable; lessons, tests, the benchmark and the examples are not");
    }

    [TestCase("GraphDL")]
    [TestCase("GraphDL.Plots")]
    public void EachPackageCarriesItsAssemblyItsDocumentationTheLicenceAndTheReadme(string id)
    {
        using var package = ZipFile.OpenRead(PackagePath(id));
        var entries = package.Entries.Select(e => e.FullName).ToArray();
        string framework = TargetFramework();
        Assert.That(entries, Does.Contain($"lib/{framework}/{id}.dll")
            .And.Contain($"lib/{framework}/{id}.xml")
            .And.Contain("LICENSE")
            .And.Contain("README.md"), string.Join("\n", entries));

        Assert.That(ReadEntry(package, "LICENSE"), Does.StartWith("MIT License").And.Contain("Copyright (c) The GraphDL authors"));
        Assert.That(ReadEntry(package, "README.md"), Does.StartWith("# GraphDL").And.Contain("## As a package"));

        var metadata = Nuspec(package);
        Assert.That(Field(metadata, "id"), Is.EqualTo(id));
        Assert.That(Field(metadata, "version"), Is.EqualTo(_version));
        Assert.That(Field(metadata, "authors"), Is.EqualTo("The GraphDL authors"));
        Assert.That(Field(metadata, "license"), Is.EqualTo("MIT"));
        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value, Is.EqualTo("expression"));
        Assert.That(Field(metadata, "readme"), Is.EqualTo("README.md"));
        Assert.That(Field(metadata, "description"), Has.Length.GreaterThan(40), "a description that says what the package is");
    }

    [Test]
    public void TheEnginePackageDocumentsThePublicApi()
    {
        using var package = ZipFile.OpenRead(PackagePath("GraphDL"));
        var entry = package.GetEntry($"lib/{TargetFramework()}/GraphDL.xml");
        Assert.That(entry, Is.Not.Null, "the engine's XML documentation is in the package");
        XDocument doc;
        using (var stream = entry!.Open()) doc = XDocument.Load(stream);
        var members = doc.Descendants("member").ToDictionary(m => m.Attribute("name")!.Value, m => m.Value.Trim());

        // The calls the README's program makes; an IDE shows these lines while the program is typed.
        foreach (string prefix in new[]
                 {
                     "M:GraphDL.GraphBuilder.Placeholder(", "M:GraphDL.GraphBuilder.MatMul(", "M:GraphDL.GraphBuilder.Sigmoid(",
                     "M:GraphDL.GraphBuilder.ReduceMean(", "M:GraphDL.Graph.Gradients(", "M:GraphDL.Session.Run(",
                     "M:GraphDL.Output.op_Addition(", "P:GraphDL.Tensor.Shape", "M:GraphDL.Shape.#ctor(",
                     "M:GraphDL.Optimizer.Minimize(",
                 })
        {
            var documented = members.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.That(documented, Is.Not.Empty, $"no documentation for {prefix}");
            Assert.That(documented.Select(m => m.Value), Has.All.Length.GreaterThan(10), prefix);
        }
    }

    [Test]
    public void AConsoleProjectOutsideTheRepositoryTrainsXorAndDrawsItsLossFromThePackages()
    {
        string project = Path.Combine(_scratch, "consumer");
        Directory.CreateDirectory(project);
        WriteConsumer(project);

        // A package cache of the consumer's own: the machine's cache may hold a GraphDL of this version packed from other
        // sources, and restore would take that one without looking at the feed. NUGET_PACKAGES outranks any nuget.config.
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(_scratch, "packages") };
        var (code, output, error) = ChildProcess.Run("dotnet",
            ["build", project, "-c", "Release", "-nologo", "--disable-build-servers", "-v", "quiet"], DotnetTimeout, environment);
        Assert.That(code, Is.Zero, $"the consumer did not restore or build:\n{output}\n{error}");

        string bin = Path.Combine(project, "bin", "Release", TargetFramework());
        using (var package = ZipFile.OpenRead(PackagePath("GraphDL")))
            Assert.That(Sha256(Path.Combine(bin, "GraphDL.dll")), Is.EqualTo(Sha256(package.GetEntry($"lib/{TargetFramework()}/GraphDL.dll")!.Open())),
                "the consumer runs the engine from the package just packed");

        string curve = Path.Combine(_scratch, "loss.png");
        (code, output, error) = ChildProcess.Run("dotnet", [Path.Combine(bin, "Consumer.dll"), curve], TimeSpan.FromMinutes(2));
        string printed = $"the consumer printed:\n{output}\n{error}";
        Assert.That(code, Is.Zero, printed);

        var figures = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
        Assert.That(figures.Keys, Is.SupersetOf(new[] { "first_loss", "last_loss", "prediction_0", "prediction_1", "prediction_2", "prediction_3" }), printed);
        Assert.That(figures["first_loss"], Is.GreaterThan(0.2), printed);
        Assert.That(figures["last_loss"], Is.LessThan(0.01), printed);
        Assert.That(new[] { figures["prediction_0"], figures["prediction_3"] }, Has.All.LessThan(0.1), "XOR of equal bits is 0\n" + printed);
        Assert.That(new[] { figures["prediction_1"], figures["prediction_2"] }, Has.All.GreaterThan(0.9), "XOR of different bits is 1\n" + printed);

        FigureAssert.IsFigure(curve);
    }

    // What a user writes: package references by name and version, and a nuget.config naming where the packages are.
    private void WriteConsumer(string project)
    {
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{TargetFramework()}</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GraphDL" Version="{_version}" />
                <PackageReference Include="GraphDL.Plots" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        // Empty build files here stop MSBuild's search upwards, in case a folder above the temporary one has its own.
        File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), "<Project />\n");

        // GraphDL's packages come from the new feed only; their dependencies (MathNet.Numerics, ...) from the machine's
        // package cache, where this test run's own restore has put them, so the consumer needs no network.
        string machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="graphdl" value="{_feed}" />
                <add key="machine-cache" value="{machineCache}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="graphdl">
                  <package pattern="GraphDL" />
                  <package pattern="GraphDL.*" />
                </packageSource>
                <packageSource key="machine-cache">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        // The README's program, with the loss of every step kept for the picture.
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using System.Globalization;
            using GraphDL;
            using GraphDL.Plots;

            var g = new Graph { Seed = 1 };
            var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
            var y = g.Placeholder(DType.Float32, new Shape(-1, 1), "y");
            var W1 = g.Variable(Init.RandomNormal([2, 4], stddev: 1.0), "W1");
            var b1 = g.Variable(Init.Zeros(4), "b1");
            var W2 = g.Variable(Init.RandomNormal([4, 1], stddev: 1.0), "W2");
            var b2 = g.Variable(Init.Zeros(1), "b2");
            var h = g.Sigmoid(g.MatMul(x, W1) + b1);
            var yHat = g.Sigmoid(g.MatMul(h, W2) + b2);
            var loss = g.ReduceMean(g.SquaredDifference(yHat, y));
            var train = new GradientDescentOptimizer(2.0).Minimize(loss);

            using var sess = new Session(g);
            sess.Run(g.GlobalVariablesInitializer());
            var feeds = new FeedDict { [x] = new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }, [y] = new float[,] { { 0 }, { 1 }, { 1 }, { 0 } } };
            var losses = new List<double>();
            for (int step = 0; step <= 5000; step++)
                losses.Add((float)sess.Run([train, loss], feeds)[1]);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first_loss {losses[0]:R}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"last_loss {losses[^1]:R}"));
            var predictions = sess.Run(yHat, feeds).ToDoubles();
            for (int i = 0; i < predictions.Length; i++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prediction_{i} {predictions[i]:R}"));

            TrainingCurves.Save(new Dictionary<string, IReadOnlyList<double>> { ["loss"] = losses }, args[0]);
            """);
    }

    private string PackagePath(string id) => Path.Combine(_feed, $"{id}.{_version}.nupkg");

    // The framework this test runs on is the one the libraries target (Directory.Build.props sets one for all).
    private static string TargetFramework() => $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    private static string ReadEntry(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Field(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? $"(no <{name}>)";

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Sha256(stream);
    }

    private static string Sha256(Stream stream)
    {
        using (stream) return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GraphDL.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No GraphDL.sln above {AppContext.BaseDirectory}.");
    }
}
