using System.Diagnostics;

namespace GraphDL.Tests.Data;

/// <summary>numpy as the outside reader of GraphDL's .npy and .npz files.</summary>
internal static class PythonNumpy
{
    // Debian's python3, where python3-numpy (which CI installs) lives, comes before whatever python3 is first on the PATH
    // (a pyenv or venv interpreter there may lack numpy); the first that imports numpy is the one the tests use.
    private static readonly Lazy<string?> Interpreter = new(() =>
        new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(python =>
        {
            try { return Run(python, "import numpy", null) is not null; }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return false; }
        }));

    /// <summary>Whether a python3 here can import numpy (CI installs Debian's python3-numpy; a machine without it skips).</summary>
    public static bool Available() => Interpreter.Value is not null;

    /// <summary>Runs a python3 one-liner with an optional argument; its standard output, or an exception with its standard error.</summary>
    public static string Run(string script, string? argument) =>
        Run(Interpreter.Value ?? throw new InvalidOperationException("no python3 with numpy on this machine"), script, argument);

    private static string Run(string python, string script, string? argument)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        if (argument is not null) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException(error);
        return output;
    }
}
