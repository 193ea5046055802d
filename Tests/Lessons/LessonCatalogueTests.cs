using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json;
using GraphDL.Lessons;
using GraphDL.Tests.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// A lesson is one folder: its .csproj says where it sits in the lecture, the glob in
/// Lessons/LessonReferences.props brings it to Tour and the tests, and LessonRunner finds it at run time.
/// </summary>
public class LessonCatalogueTests
{
    [Test]
    public void EveryLessonFolderIsInTheCatalogueThatTourRuns()
    {
        string lessons = Path.Combine(TestData.RepoRoot(), "Lessons");
        var folders = Directory.GetDirectories(lessons)
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any())
            .Select(Path.GetFileName)
            .Except(LessonRunner.NotLessons)
            .ToList();
        Assert.That(folders, Is.Not.Empty);
        Assert.That(LessonRunner.All.Select(l => l.Name), Is.EquivalentTo(folders),
            "every folder under Lessons/ with a .csproj, other than Common and Tour, is a lesson Tour runs");
    }

    [Test]
    public void TheCatalogueIsPartOneThenPartTwoEachInItsOrder()
    {
        var all = LessonRunner.All;
        Assert.That(LessonRunner.Part1, Is.Not.Empty);
        Assert.That(LessonRunner.Part2, Is.Not.Empty);
        Assert.That(all, Is.EqualTo(LessonRunner.Part1.Concat(LessonRunner.Part2)));
        Assert.That(all.Select(l => (l.Part, l.Position)), Is.Ordered.Ascending.And.Unique);
    }

    [Test]
    public void OnlyALessonThatReadsADataSetTakesData()
    {
        var reader = LessonRunner.All.First(l => l.UsesData);
        var other = LessonRunner.All.First(l => !l.UsesData);

        var help = Assert.Throws<LessonUsageException>(() => LessonRunner.Run(reader.Name, LessonHarness.OutRoot, "--help"));
        Assert.That(help!.ExitCode, Is.Zero, "help is not a mistake");
        Assert.That(help.Message, Does.Contain("--data <DIR>"), reader.Name);
        var otherHelp = Assert.Throws<LessonUsageException>(() => LessonRunner.Run(other.Name, LessonHarness.OutRoot, "--help"));
        Assert.That(otherHelp!.Message, Does.Not.Contain("--data"), other.Name);
        var refused = Assert.Throws<LessonUsageException>(() => LessonRunner.Run(other.Name, LessonHarness.OutRoot, "--data", "nowhere"));
        Assert.That(refused!.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Message, Does.StartWith($"{other.Name}: ").And.Contain("'--data'"));
    }

    [Test]
    public void LessonsAreOrderedByPartThenPosition()
    {
        var catalogue = LessonRunner.Order(
        [
            Fake("GraphDL.Lessons.Late", Place(2, 5)),
            Fake("GraphDL.Lessons.Second", Place(1, 20, usesData: true)),
            Fake("GraphDL.Lessons.First", Place(1, 10)),
        ]);
        Assert.That(catalogue, Is.EqualTo(new[]
        {
            new LessonInfo("First", 1, 10, "slide 1.10", false),
            new LessonInfo("Second", 1, 20, "slide 1.20", true),
            new LessonInfo("Late", 2, 5, "slide 2.5", false),
        }));
    }

    [Test]
    public void ALessonAssemblyWithoutItsPlaceIsNamedInTheError()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            LessonRunner.Order([Fake("GraphDL.Lessons.First", Place(1, 10)), Fake("GraphDL.Lessons.Placeless")]));
        Assert.That(e!.Message, Does.StartWith("GraphDL.Lessons.Placeless has no [Lesson] attribute"));
    }

    [Test]
    public void TwoLessonsAtOnePlaceAreNamedInTheError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LessonRunner.Order(
            [Fake("GraphDL.Lessons.One", Place(1, 30)), Fake("GraphDL.Lessons.Other", Place(1, 30)), Fake("GraphDL.Lessons.Fine", Place(1, 40))]));
        Assert.That(e!.Message, Does.StartWith("GraphDL.Lessons.One and GraphDL.Lessons.Other share part 1, position 30"));
    }

    /// <summary>
    /// Copies the build files that make a folder a lesson into a scratch tree beside one new lesson folder,
    /// and asks MSBuild what Tour and the tests would reference and what the new lesson would become: a list
    /// written back into any of those files would leave the newcomer out and fail here.
    /// </summary>
    [Test]
    public void ANewFolderIsALessonWithoutAnEditElsewhere()
    {
        string repo = TestData.RepoRoot();
        string scratch = Directory.CreateTempSubdirectory("graphdl-lessons-").FullName;
        try
        {
            foreach (string file in new[]
                     {
                         "Directory.Build.props", "Lessons/Directory.Build.props", "Lessons/Directory.Build.targets",
                         "Lessons/LessonReferences.props", "Lessons/Common/Common.csproj", "Lessons/Tour/Tour.csproj", "Tests/Tests.csproj",
                         "Tests/Browser/Chromium.targets",
                     })
            {
                string target = Path.Combine(scratch, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(repo, file), target);
            }
            // All a new lesson's project says; its Program.cs is the slide's code and does not matter to MSBuild.
            string newcomer = Path.Combine(scratch, "Lessons", "Newcomer", "Newcomer.csproj");
            Directory.CreateDirectory(Path.GetDirectoryName(newcomer)!);
            File.WriteAllText(newcomer, """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <LessonPart>2</LessonPart>
                    <LessonPosition>95</LessonPosition>
                    <LessonTitle>새 슬라이드: "a new slide" (seed 005)</LessonTitle>
                  </PropertyGroup>
                </Project>
                """);

            Assert.That(ReferencedProjects(Path.Combine(scratch, "Lessons", "Tour", "Tour.csproj")),
                Is.EquivalentTo(new[] { "Common.csproj", "Board.csproj", "Newcomer.csproj" }), "Tour's references: the kit, the board it writes, every lesson");
            Assert.That(ReferencedProjects(Path.Combine(scratch, "Tests", "Tests.csproj")),
                Does.Contain("Newcomer.csproj").And.Not.Contain("Tour.csproj"), "the assemblies the tests load: Tour is built for them, never loaded");
            Assert.That(ReferencedProjects(Path.Combine(scratch, "Tests", "Tests.csproj")).Count(p => p == "Common.csproj"), Is.EqualTo(1));

            var lesson = Evaluate(newcomer, "-getProperty:AssemblyName", "-getProperty:OutputType", "-getItem:AssemblyAttribute", "-getItem:ProjectReference");
            Assert.That(lesson.GetProperty("Properties").GetProperty("AssemblyName").GetString(), Is.EqualTo("GraphDL.Lessons.Newcomer"));
            Assert.That(lesson.GetProperty("Properties").GetProperty("OutputType").GetString(), Is.EqualTo("Exe"));
            var place = lesson.GetProperty("Items").GetProperty("AssemblyAttribute").EnumerateArray()
                .Single(a => a.GetProperty("Identity").GetString() == typeof(LessonAttribute).FullName);
            Assert.That(new[] { "_Parameter1", "_Parameter2", "_Parameter3", "_Parameter4" }.Select(p => place.GetProperty(p).GetString()),
                Is.EqualTo(new[] { "2", "95", "false", "새 슬라이드: \"a new slide\" (seed 005)" }));
            Assert.That(lesson.GetProperty("Items").GetProperty("ProjectReference").EnumerateArray().Select(r => Path.GetFileName(r.GetProperty("FullPath").GetString())),
                Is.EqualTo(new[] { "Common.csproj" }));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    // The projects whose assemblies the project loads; one built only to be started (ReferenceOutputAssembly false) is not among them.
    private static List<string> ReferencedProjects(string project) =>
        [.. Evaluate(project, "-getItem:ProjectReference").GetProperty("Items").GetProperty("ProjectReference").EnumerateArray()
            .Where(r => !(r.TryGetProperty("ReferenceOutputAssembly", out var loaded) && string.Equals(loaded.GetString(), "false", StringComparison.OrdinalIgnoreCase)))
            .Select(r => Path.GetFileName(r.GetProperty("FullPath").GetString()!))];

    // Evaluation only: no restore and no build, so it takes seconds and writes nothing into the tree.
    private static JsonElement Evaluate(string project, params string[] queries)
    {
        var (code, output, error) = ChildProcess.Run("dotnet", ["msbuild", project, "-nologo", "-nodeReuse:false", .. queries], TimeSpan.FromMinutes(1));
        Assert.That(code, Is.Zero, $"dotnet msbuild {project}:\n{output}\n{error}");
        return JsonDocument.Parse(output).RootElement;
    }

    private static CustomAttributeBuilder Place(int part, int position, bool usesData = false) =>
        new(typeof(LessonAttribute).GetConstructor([typeof(int), typeof(int), typeof(bool), typeof(string)])!, [part, position, usesData, $"slide {part}.{position}"]);

    private static Assembly Fake(string name, params CustomAttributeBuilder[] attributes) =>
        AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.Run, attributes);
}
