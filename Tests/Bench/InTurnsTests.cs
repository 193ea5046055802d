using System.Text.Json;
using GraphDL.Backends.Cpu.Blas;
using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary>
/// <c>--compare</c> takes the figures with targets against PyTorch's in turns with PyTorch's: three rounds of GraphDL's
/// child process then the PyTorch peer on that figure alone, and no fourth PyTorch run for it afterwards. A stand-in
/// interpreter plays both peers, logging how it was called and giving PyTorch's figure as 100, 300 and 200 in turn.
/// </summary>
[NonParallelizable]
public class InTurnsTests
{
    [Test]
    public void TheIrisStepIsTakenInThreeTurnsWithPyTorchAndEachSideGivesItsMedian()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("The stand-in interpreter is a shell script.");
        string folder = Directory.CreateTempSubdirectory("graphdl-turns-").FullName;
        try
        {
            string log = Path.Combine(folder, "calls.log"), python = Path.Combine(folder, "python");
            File.WriteAllText(python, $$"""
                #!/bin/sh
                echo "$*" >> '{{log}}'
                case "$2" in
                  *torch_peer.py)
                    calls=$(grep -c torch_peer '{{log}}')
                    echo '{"name": "torch_version", "value": "stand-in", "unit": ""}'
                    echo "{\"name\": \"torch_iris_step_us\", \"value\": $(( calls == 2 ? 300 : calls == 3 ? 200 : 100 )), \"unit\": \"us\"}" ;;
                esac
                """.ReplaceLineEndings("\n"));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var (exitCode, output, error) = BenchProgram.Run(new Dictionary<string, string?> { [BlasProvider.Variable] = "managed" },
                "--compare", "--json", "--only", "iris_step_us", "--runs", "1", "--python", python);

            Assert.That(exitCode, Is.Zero, error);
            var torchCalls = File.ReadAllLines(log).Where(l => l.Contains("torch_peer.py")).ToList();
            Assert.That(torchCalls, Has.Count.EqualTo(3), "three turns, and no PyTorch run afterwards for a figure taken in turns");
            Assert.That(torchCalls, Has.All.Contains("--only iris_step_us"));
            Assert.That(File.ReadAllLines(log).Count(l => l.Contains("numpy_peer.py")), Is.EqualTo(1), "NumPy runs once, after");

            var figures = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
            double Value(string name) => figures.Single(f => f.GetProperty("name").GetString() == name).GetProperty("value").GetDouble();
            Assert.That(Value("torch_iris_step_us"), Is.EqualTo(200), "the median of PyTorch's three rounds");
            Assert.That(Value("iris_step_us"), Is.GreaterThan(0).And.LessThan(100_000));
            Assert.That(error, Does.Contain("in turns with PyTorch's"), "the table says how the figure was taken");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
